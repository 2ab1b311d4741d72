package io.openiot.rules.sql;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ${...}} templates in action fields, evaluated against the original message. */
class SubstitutionTemplateTest {

    private static final MessageContext CONTEXT = new MessageContext("iot/ccar-ad/car-7", "client-1", null, "trace-9",
            1_700_000_000_123L, new Payload(
                    "{\"speed\":140,\"a\":{\"b\":\"deep\"},\"v\":null,\"d\":1.50,\"arr\":[1,\"x\"],\"on\":true}"
                            .getBytes(UTF_8)));

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
            plain/topic                    | plain/topic
            ${topic()}                     | iot/ccar-ad/car-7
            cars/${topic(3)}/speed         | cars/car-7/speed
            ${topic(9)}                    | ''
            ${clientid()}                  | client-1
            ${timestamp()}                 | 1700000000123
            ${traceid()}                   | trace-9
            ${speed}                       | 140
            ${a.b}                         | deep
            ${a}                           | {"b":"deep"}
            ${missing}                     | ''
            x-${missing}-y                 | x--y
            ${v}                           | null
            ${d}                           | 1.50
            ${arr}                         | [1,"x"]
            ${on}                          | true
            ${speed * 2}                   | 280
            ${topic(2) + '-' + speed}      | ccar-ad-140
            $$aws/things/${topic(3)}       | $aws/things/car-7
            cost: $5                       | cost: $5
            """)
    void renders(String template, String expected) {
        assertThat(SubstitutionTemplate.parse(template).render(CONTEXT)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            a/${topic(}     | 1
            a/${speed       | 1
            ${nosuch()}     | 1
            """)
    void rejectsBadExpressions(String template, int line) {
        assertThatThrownBy(() -> SubstitutionTemplate.parse(template))
                .isInstanceOfSatisfying(SqlParseException.class, e -> assertThat(e.line()).isEqualTo(line));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ${speed}   | true
            no/subst   | false
            """)
    void knowsWhetherItSubstitutes(String template, boolean substitutes) {
        assertThat(SubstitutionTemplate.parse(template).hasSubstitutions()).isEqualTo(substitutes);
    }
}
