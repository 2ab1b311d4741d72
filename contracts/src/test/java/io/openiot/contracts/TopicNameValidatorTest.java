package io.openiot.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicNameValidatorTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "iot/ccar-ad/car1",
            "a",
            "/",
            "a/b/c/d/e/f/g/h",                       // 8 levels
            "$aws/things/car1/shadow/update",
            "$aws/rules/myRule/a/b/c/d/e/f/g/h",     // Basic Ingest prefix does not count
            "température/salle",
    })
    void acceptsTopicNamesThatAwsAccepts(String topic) {
        assertThat(TopicNameValidator.violation(topic)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "a/+/c             | wildcard",
            "a/#               | wildcard",
            "#                 | wildcard",
            "a/b/c/d/e/f/g/h/i | more than 8 levels",
            "a/b/c/d/e/f/g/h/  | more than 8 levels",
            "$aws/rules/r/a/b/c/d/e/f/g/h/i | more than 8 levels",
    })
    void rejectsTopicNamesThatAwsRejects(String topic, String why) {
        assertThat(TopicNameValidator.violation(topic)).hasValueSatisfying(v -> assertThat(v).contains(why));
    }

    @org.junit.jupiter.api.Test
    void rejectsEmptyNulAndOverlongTopicNames() {
        assertThat(TopicNameValidator.violation("")).isPresent();
        assertThat(TopicNameValidator.violation(null)).isPresent();
        assertThat(TopicNameValidator.violation("a\u0000b")).isPresent();
        assertThat(TopicNameValidator.violation("x".repeat(256))).isEmpty();
        assertThat(TopicNameValidator.violation("x".repeat(257))).hasValueSatisfying(v -> assertThat(v).contains("256"));
        // 128 two-byte characters are 256 bytes; one more is too long
        assertThat(TopicNameValidator.violation("é".repeat(128))).isEmpty();
        assertThat(TopicNameValidator.violation("é".repeat(128) + "a")).isPresent();
    }
}
