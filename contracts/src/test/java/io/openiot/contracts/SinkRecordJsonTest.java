package io.openiot.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SinkRecordJsonTest {

    private static final String SAMPLE = """
            {"table":"telemetry","partitionKey":"car1","sortKey":"1700000000000",\
            "item":{"speed":140,"tags":["a"]},"sourceMessageId":"6f1c-r1-0","timestamp":1700000000000}""";

    private final JsonMapper mapper = JsonMapper.builder().build();

    @Test
    void readsTheFixedSampleAndWritesItBackUnchanged() {
        SinkRecord record = mapper.readValue(SAMPLE, SinkRecord.class);

        assertThat(record.table()).isEqualTo("telemetry");
        assertThat(record.partitionKey()).isEqualTo("car1");
        assertThat(record.item().get("speed").asInt()).isEqualTo(140);
        assertThat(record.kafkaKey()).isEqualTo("telemetry|car1");
        assertThat(mapper.readTree(mapper.writeValueAsString(record))).isEqualTo(mapper.readTree(SAMPLE));
    }

    @Test
    void ignoresFieldsAddedByANewerProducer() {
        String newer = SAMPLE.replace("\"table\"", "\"ttlSeconds\":60,\"table\"");

        SinkRecord record = JsonMapper.builder()
                .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build().readValue(newer, SinkRecord.class);

        assertThat(record.sourceMessageId()).isEqualTo("6f1c-r1-0");
    }
}
