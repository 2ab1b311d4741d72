package io.openiot.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IotMessageTest {

    private static final RecordPosition AT = new RecordPosition("iot.messages", 3, 42);

    @Test
    void headersRoundTripToAnEqualMessage() {
        IotMessage original = new IotMessage("iot/car/1", "{\"speed\":1}".getBytes(StandardCharsets.UTF_8), 1, true,
                "car1", "dev-user", "car1", 1_700_000_000_000L, "id-1", "trace-1", "gateway/a", 0);

        IotMessage copy = IotMessage.fromRecord(original.topic(), original.payload(), original.headers(), AT);

        assertThat(copy).isEqualTo(original);
    }

    @Test
    void optionalHeadersAreLeftOutWhenAbsent() {
        IotMessage fromService = new IotMessage("a/b", new byte[0], 0, false, null, null, null, 1L, "i", "t", "rules-service",
                1);

        assertThat(fromService.headers()).doesNotContainKeys(MessageHeaders.CLIENT_ID, MessageHeaders.PRINCIPAL,
                MessageHeaders.THING_NAME);
    }

    @Test
    void aForeignRecordWithoutHeadersFallsBackToSafeDefaults() {
        IotMessage message = IotMessage.fromRecord("a/b", new byte[] {1}, Map.of(), AT);

        assertThat(message.topic()).isEqualTo("a/b");
        assertThat(message.qos()).isZero();
        assertThat(message.hopCount()).isZero();
    }

    @Test
    void aRecordWithoutAnIdGetsTheIdOfItsPositionNeverARandomOne() {
        IotMessage first = IotMessage.fromRecord("a/b", new byte[] {1}, Map.of(), AT);
        IotMessage again = IotMessage.fromRecord("a/b", new byte[] {1}, Map.of(), AT);
        IotMessage next = IotMessage.fromRecord("a/b", new byte[] {1}, Map.of(),
                new RecordPosition("iot.messages", 3, 43));

        assertThat(first.messageId()).isEqualTo(again.messageId()).isEqualTo(AT.derivedMessageId())
                .isNotEqualTo(next.messageId());
        assertThat(first.traceId()).isEqualTo(first.messageId());
    }

    @Test
    void malformedNumbersFallBackInsteadOfFailing() {
        Map<String, byte[]> headers = new HashMap<>();
        headers.put(MessageHeaders.QOS, "x".getBytes(StandardCharsets.UTF_8));
        headers.put(MessageHeaders.HOP_COUNT, "7".getBytes(StandardCharsets.UTF_8));

        IotMessage message = IotMessage.fromRecord("a", null, headers, AT);

        assertThat(message.qos()).isZero();
        assertThat(message.hopCount()).isEqualTo(7);
    }

    @Test
    void republishingCountsHopsAndKeepsTheTrace() {
        IotMessage device = IotMessage.fromRecord("a", null, Map.of(), AT);

        IotMessage once = IotMessage.republished("b", null, 1, "rules-service", device, 5L, "copy-1");

        assertThat(once.hopCount()).isEqualTo(1);
        assertThat(once.messageId()).isEqualTo("copy-1");
        assertThat(once.traceId()).isEqualTo(device.traceId());
        assertThat(IotMessage.republished("c", null, 0, "rules-service", once, 6L, "copy-2").hopCount()).isEqualTo(2);
    }

    @Test
    void rejectsQos2() {
        assertThatThrownBy(() -> new IotMessage("a", null, 2, false, null, null, null, 1, "i", "t", "o", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsHeadersAsBytesOrAsStringsTheWayAHeaderMapperMayLeaveThem() {
        IotMessage message = IotMessage.fromRecord(IotMessage.text("a/b".getBytes(StandardCharsets.UTF_8)),
                new byte[] {1}, Map.of(MessageHeaders.QOS, "1", MessageHeaders.ORIGIN,
                        "rules-service".getBytes(StandardCharsets.UTF_8), MessageHeaders.HOP_COUNT, 3), AT);

        assertThat(message.topic()).isEqualTo("a/b");
        assertThat(message.qos()).isEqualTo(1);
        assertThat(message.origin()).isEqualTo("rules-service");
        // a value of another type is not guessed at: the default applies
        assertThat(message.hopCount()).isZero();
    }
}
