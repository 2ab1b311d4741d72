package io.openiot.testsupport.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TelemetryPayloadTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void thePayloadIsJsonOfExactlyTheRequestedSize() {
        for (int size : new int[] {128, 200, 1024}) {
            byte[] payload = TelemetryPayload.build(size, 123_456, 1.0, 1_700_000_000_123_456L, "ab12c", false);
            assertThat(payload).hasSize(size);
            JsonNode node = json.readTree(payload);
            assertThat(node.path("speed").asInt()).isGreaterThan(120);
            assertThat(node.path("sentAt").asLong()).isEqualTo(1_700_000_000_123L);
            assertThat(node.path("seq").asLong()).isEqualTo(123_456);
            assertThat(node.path("run").asString()).isEqualTo("ab12c");
            assertThat(node.has("warmup")).isFalse();
        }
    }

    @Test
    void aTooSmallSizeGivesTheUnpaddedJson() {
        byte[] payload = TelemetryPayload.build(10, 1, 1.0, 1_700_000_000_000_000L, "r", true);
        JsonNode node = json.readTree(payload);
        assertThat(node.has("pad")).isFalse();
        assertThat(node.path("warmup").asBoolean()).isTrue();
    }

    @Test
    void theMatchRatioSelectsThatShareOfMessagesForSpeedAbove120() {
        for (double ratio : new double[] {0, 0.1, 0.5, 1}) {
            int matching = 0;
            for (long seq = 0; seq < 1000; seq++) {
                boolean matches = TelemetryPayload.matches(seq, ratio);
                assertThat(TelemetryPayload.speedOf(seq, ratio) > 120).isEqualTo(matches);
                matching += matches ? 1 : 0;
            }
            assertThat(matching).as("ratio %s", ratio).isEqualTo((int) Math.round(1000 * ratio));
        }
    }

    @Test
    void theSubscriberReadsItsFieldsBackAlsoFromReserialisedJson() {
        TelemetryPayload.Received own = TelemetryPayload.parse(
                TelemetryPayload.build(128, 5, 1.0, 1_700_000_000_123_456L, "ab12c", true));
        assertThat(own).isEqualTo(new TelemetryPayload.Received("ab12c", true, 1_700_000_000_123_456L));

        byte[] republished = "{\"pad\": \"x\", \"run\": \"zz9\", \"sentAtMicros\": 42, \"speed\": 150}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(TelemetryPayload.parse(republished)).isEqualTo(new TelemetryPayload.Received("zz9", false, 42));

        byte[] millisOnly = "{\"sentAt\":1700000000123,\"run\":\"r\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(TelemetryPayload.parse(millisOnly).sentAtMicros()).isEqualTo(1_700_000_000_123_000L);

        assertThat(TelemetryPayload.parse("not json".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new TelemetryPayload.Received(null, false, -1));
    }

    @Test
    void topicFiltersMatchAsMqttDefinesThem() {
        assertThat(TopicFilter.matches("bench/#", "bench/r-p0/telemetry")).isTrue();
        assertThat(TopicFilter.matches("bench/+/telemetry", "bench/r-p0/telemetry")).isTrue();
        assertThat(TopicFilter.matches("#", "bench/r-p0/telemetry")).isTrue();
        assertThat(TopicFilter.matches("bench-out/#", "bench/r-p0/telemetry")).isFalse();
        assertThat(TopicFilter.matches("bench/+", "bench/r-p0/telemetry")).isFalse();
        assertThat(TopicFilter.matches("bench/+/telemetry/x", "bench/r-p0/telemetry")).isFalse();
    }
}
