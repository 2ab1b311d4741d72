package io.openiot.sink.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeParameterTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2024-05-01T12:00:00Z,          2024-05-01T12:00:00Z",
            "2024-05-01T12:00:00.123Z,      2024-05-01T12:00:00.123Z",
            "2024-05-01t12:00:00z,          2024-05-01T12:00:00Z",
            "2024-05-01T14:00:00+02:00,     2024-05-01T12:00:00Z",
            "'2024-05-01T14:00:00 02:00',   2024-05-01T12:00:00Z",
            "1714564800000,                 2024-05-01T12:00:00Z",
            "0,                             1970-01-01T00:00:00Z",
            "-1000,                         1969-12-31T23:59:59Z",
            "' 1714564800000 ',             2024-05-01T12:00:00Z"})
    void readsIsoInstantsAndEpochMillis(String value, String expected) {
        assertThat(TimeParameter.parse("from", value)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void anAbsentValueIsNoBound(String value) {
        assertThat(TimeParameter.parse("from", value)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2024-05-01", "2024-05-01T12:00:00", "2024-13-01T00:00:00Z", "12.5",
            "99999999999999999999", "9223372036854775807", "+10000-01-01T00:00:00Z"})
    void anythingElseIsRejectedNamingTheParameter(String value) {
        assertThatThrownBy(() -> TimeParameter.parse("to", value))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("to");
                    assertThat(e.getMessage()).contains("'to'");
                });
    }
}
