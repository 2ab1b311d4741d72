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
}
