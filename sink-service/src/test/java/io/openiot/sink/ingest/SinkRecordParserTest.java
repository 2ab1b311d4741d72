package io.openiot.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class SinkRecordParserTest {

    private final SinkRecordParser parser = new SinkRecordParser(JsonMapper.builder().build(), 1000);

    @Test
    void aCompleteRecordBecomesAStorableItem() {
        var result = parse("""
                {"table":"temps","partitionKey":"dev-1","sortKey":"s","item":{"t":21.5,"tags":["a"]},
                 "sourceMessageId":"trace-1","timestamp":1714564800000,"someFutureField":true}""");

        assertThat(result).isInstanceOfSatisfying(SinkRecordParser.Valid.class, valid -> {
            assertThat(valid.item().item().toString()).isEqualTo("{\"t\":21.5,\"tags\":[\"a\"]}");
            assertThat(valid.item()).isEqualTo(StorableItem.appended("temps", "dev-1", "s", valid.item().item(),
                    "trace-1", 1714564800000L));
        });
    }

    @Test
    void numbersKeepEveryDigit() {
        var result = parse("""
                {"table":"t","partitionKey":"p","item":{"a":12345678901234567890.123456789,"b":1e400,"c":123456789012345678901234},
                 "sourceMessageId":"m","timestamp":5}""");

        assertThat(result).isInstanceOfSatisfying(SinkRecordParser.Valid.class, valid -> assertThat(valid.item().item().toString())
                .contains("12345678901234567890.123456789", "123456789012345678901234").doesNotContain("Infinity"));
    }

    @Test
    void theSortKeyIsOptional() {
        var result = parse("""
                {"table":"temps","partitionKey":"dev-1","item":1,"sourceMessageId":"m","timestamp":5}""");

        assertThat(result).isInstanceOfSatisfying(SinkRecordParser.Valid.class,
                valid -> assertThat(valid.item().sortKey()).isNull());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "                                                                                                   | empty value",
            "not json                                                                                           | not JSON",
            "{\"table\":\"t\",                                                                                  | not JSON",
            "null                                                                                               | JSON null",
            "[1,2]                                                                                              | not a SinkRecord",
            "{\"partitionKey\":\"p\",\"item\":{},\"sourceMessageId\":\"m\",\"timestamp\":5}                     | missing field 'table'",
            "{\"table\":\"t\",\"item\":{},\"sourceMessageId\":\"m\",\"timestamp\":5}                            | missing field 'partitionKey'",
            "{\"table\":\"t\",\"partitionKey\":\"p\",\"sourceMessageId\":\"m\",\"timestamp\":5}                 | missing field 'item'",
            "{\"table\":\"t\",\"partitionKey\":\"p\",\"item\":null,\"sourceMessageId\":\"m\",\"timestamp\":5}   | missing field 'item'",
            "{\"table\":\"t\",\"partitionKey\":\"p\",\"item\":{},\"timestamp\":5}                               | missing field 'sourceMessageId'",
            "{\"table\":\"t\",\"partitionKey\":\"p\",\"item\":{},\"sourceMessageId\":\"m\"}                     | field 'timestamp' missing",
            "{\"table\":\"t\",\"partitionKey\":\"p\",\"item\":{},\"sourceMessageId\":\"m\",\"timestamp\":\"x\"} | field 'timestamp' missing or of the wrong type",
            "{\"table\":\"t\",\"partitionKey\":\"p\",\"item\":{},\"sourceMessageId\":\"m\",\"timestamp\":-5}    | timestamp missing or out of range",
            "{\"table\":\"t\",\"partitionKey\":\"p\",\"item\":{},\"sourceMessageId\":\"m\",\"timestamp\":253402300800000} | out of range",
            "{\"table\":\"bad name\",\"partitionKey\":\"p\",\"item\":{},\"sourceMessageId\":\"m\",\"timestamp\":5} | table name",
            "{\"table\":\"\",\"partitionKey\":\"p\",\"item\":{},\"sourceMessageId\":\"m\",\"timestamp\":5}      | table name",
            "{\"table\":\"t\",\"partitionKey\":\"\",\"item\":{},\"sourceMessageId\":\"m\",\"timestamp\":5}      | partitionKey must be",
            "{\"table\":\"t\",\"partitionKey\":\"a\\u0000b\",\"item\":{},\"sourceMessageId\":\"m\",\"timestamp\":5} | partitionKey contains a NUL",
            "{\"table\":\"t\",\"partitionKey\":\"p\",\"item\":{\"x\":\"a\\u0000\"},\"sourceMessageId\":\"m\",\"timestamp\":5} | item contains a NUL",
            "{\"table\":\"t\",\"partitionKey\":\"p\",\"item\":{\"x\":\"%s\"},\"sourceMessageId\":\"m\",\"timestamp\":5} | item larger than 1000 bytes"})
    void aRecordThatCannotBeStoredIsMalformedWithAReasonThatDoesNotQuoteIt(String value, String reason) {
        String payload = value == null ? "" : value.replace("%s", "x".repeat(1000));

        var result = parse(payload);

        assertThat(result).isInstanceOfSatisfying(SinkRecordParser.Malformed.class, malformed -> {
            assertThat(malformed.reason()).contains(reason.trim());
            assertThat(malformed.reason()).doesNotContain("xxxx").doesNotContain("not json");
        });
    }

    @Test
    void anEscapedBackslashBeforeU0000IsNotANulCharacter() {
        var result = parse("""
                {"table":"t","partitionKey":"p","item":{"path":"C:\\\\u0000"},"sourceMessageId":"m","timestamp":5}""");

        assertThat(result).isInstanceOf(SinkRecordParser.Valid.class);
    }

    private SinkRecordParser.Result parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
