package io.openiot.rules.engine;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.openiot.contracts.IotMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

/**
 * The {@code iotMessages} function bound to {@code iot.messages} (group {@code rules-service}): rebuilds the
 * {@link IotMessage} from the record's key, value and headers and hands it to the engine.
 */
@Component("iotMessages")
class IotMessagesConsumer implements Consumer<Message<byte[]>> {

    private final RulesEngine engine;

    IotMessagesConsumer(RulesEngine engine) {
        this.engine = engine;
    }

    @Override
    public void accept(Message<byte[]> record) {
        Map<String, byte[]> headers = new HashMap<>();
        record.getHeaders().forEach((name, value) -> {
            byte[] bytes = bytes(value);
            if (bytes != null) {
                headers.put(name, bytes);
            }
        });
        byte[] key = bytes(record.getHeaders().get(KafkaHeaders.RECEIVED_KEY));
        engine.process(IotMessage.fromRecord(key == null ? null : new String(key, UTF_8), record.getPayload(),
                headers));
    }

    /** The binder hands over Kafka headers as bytes; a String (mapped header) is taken as its UTF-8 form. */
    private static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof String s) {
            return s.getBytes(UTF_8);
        }
        return null;
    }
}
