package io.openiot.rules.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicFilterTest {

    @ParameterizedTest(name = "{0} vs {1} → {2}")
    @CsvSource(delimiter = '|', textBlock = """
            a/b          | a/b        | true
            a/b          | a/c        | false
            a/b          | a/b/c      | false
            a/+          | a/b        | true
            a/+          | a/         | true
            a/+          | a/b/c      | false
            a/+          | a          | false
            +/+          | a/b        | true
            +            | a          | true
            a/#          | a/         | true
            a/#          | a/b        | true
            a/#          | a/b/c      | true
            a/#          | a          | false
            a/#          | b/c        | false
            #            | a          | true
            #            | a/b/c      | true
            #            | /          | true
            +/b/#        | x/b/c/d    | true
            iot/ccar-ad/#| iot/ccar-ad/car-7/telemetry | true
            #            | $aws/things/t/shadow/update | false
            +/things/#   | $aws/things/t               | false
            $aws/things/+/shadow/update | $aws/things/t/shadow/update | true
            A/b          | a/b        | false
            """)
    void matchesLikeAwsIot(String filter, String topic, boolean expected) {
        assertThat(TopicFilter.parse(filter).matches(topic)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/#/b", "a#", "a/b+", "+a/b", "##"})
    void rejectsMalformedFilters(String filter) {
        assertThatIllegalArgumentException().isThrownBy(() -> TopicFilter.parse(filter));
    }

    @Test
    void rejectsFiltersLongerThan256Bytes() {
        assertThatIllegalArgumentException().isThrownBy(() -> TopicFilter.parse("a".repeat(257)));
        assertThat(TopicFilter.parse("a".repeat(256))).isNotNull();
    }

    @Test
    void linearIndexReturnsEveryMatchingEntryInOrder() {
        TopicFilterIndex<String> index = TopicFilterIndex.linear(List.of("a/#", "a/b", "+/c", "a/+"),
                TopicFilter::parse);
        assertThat(index.matching("a/b")).containsExactly("a/#", "a/b", "a/+");
        assertThat(index.matching("x/c")).containsExactly("+/c");
        assertThat(index.matching("q")).isEmpty();
        assertThat(index.size()).isEqualTo(4);
    }

    @Test
    void trieIndexReturnsEveryMatchingEntryInOrder() {
        TopicFilterIndex<String> index = TopicFilterIndex.trie(List.of("a/#", "a/b", "+/c", "a/+", "#", "a/b"),
                TopicFilter::parse);
        assertThat(index.matching("a/b")).containsExactly("a/#", "a/b", "a/+", "#", "a/b");
        assertThat(index.matching("x/c")).containsExactly("+/c", "#");
        assertThat(index.matching("a")).containsExactly("#");
        assertThat(index.matching("a/")).containsExactly("a/#", "a/+", "#");
        assertThat(index.matching("$aws/x")).isEmpty();
        assertThat(index.size()).isEqualTo(6);
    }

    @Test
    void trieAgreesWithCheckingEveryFilter() {
        java.util.Random random = new java.util.Random(42);
        String[] levels = {"a", "b", "", "$aws", "+", "#"};
        List<String> filters = new java.util.ArrayList<>();
        while (filters.size() < 400) {
            StringBuilder f = new StringBuilder();
            int depth = 1 + random.nextInt(4);
            for (int l = 0; l < depth; l++) {
                String level = levels[random.nextInt(levels.length)];
                if (level.equals("#") && l < depth - 1) {
                    level = "+";
                }
                f.append(l == 0 ? "" : "/").append(level);
            }
            if (!f.isEmpty()) {
                filters.add(f.toString());
            }
        }
        TopicFilterIndex<String> trie = TopicFilterIndex.trie(filters, TopicFilter::parse);
        TopicFilterIndex<String> linear = TopicFilterIndex.linear(filters, TopicFilter::parse);
        for (int t = 0; t < 2000; t++) {
            StringBuilder topic = new StringBuilder();
            int depth = 1 + random.nextInt(5);
            for (int l = 0; l < depth; l++) {
                topic.append(l == 0 ? "" : "/").append(levels[random.nextInt(4)]);
            }
            assertThat(trie.matching(topic.toString())).as(topic.toString())
                    .isEqualTo(linear.matching(topic.toString()));
        }
    }
}
