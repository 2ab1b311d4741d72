package io.openiot.rules.engine;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.RecordPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

/**
 * The {@code iotMessages} function bound to {@code iot.messages} (group {@code rules-service}) in batch mode: rebuilds
 * each {@link IotMessage} from its record's key, value and headers and hands the poll's messages to the engine at once.
 */
@Component("iotMessages")
class IotMessagesConsumer implements Consumer<Message<List<byte[]>>> {

    private static final Logger log = LoggerFactory.getLogger(IotMessagesConsumer.class);

    private final RulesEngine engine;
    private final EngineMetrics metrics;

    IotMessagesConsumer(RulesEngine engine, EngineMetrics metrics) {
        this.engine = engine;
        this.metrics = metrics;
    }

    @Override
    public void accept(Message<List<byte[]>> batch) {
        List<byte[]> payloads = batch.getPayload();
        List<?> keys = list(batch.getHeaders().get(KafkaHeaders.RECEIVED_KEY));
        List<?> recordHeaders = list(batch.getHeaders().get(KafkaHeaders.BATCH_CONVERTED_HEADERS));
        List<IotMessage> messages = new ArrayList<>(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, ?> headers = i < recordHeaders.size() && recordHeaders.get(i) instanceof Map<?, ?> map
                    ? (Map<String, ?>) map : Map.of();
            try {
                messages.add(IotMessage.fromRecord(i < keys.size() ? IotMessage.text(keys.get(i)) : null,
                        payloads.get(i), headers, new RecordPosition(KafkaTopics.MESSAGES,
                                (int) number(element(batch, KafkaHeaders.RECEIVED_PARTITION, i)),
                                number(element(batch, KafkaHeaders.OFFSET, i)))));
            } catch (IllegalArgumentException e) {
                // breaks the topic's contract; it stays on iot.messages, where partition and offset find it
                metrics.malformed();
                log.error("Skipping record {} of partition {} at offset {}: {}", i,
                        element(batch, KafkaHeaders.RECEIVED_PARTITION, i), element(batch, KafkaHeaders.OFFSET, i),
                        e.getMessage());
            }
        }
        engine.process(messages);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : -1;
    }

    private static Object element(Message<?> batch, String header, int index) {
        List<?> values = list(batch.getHeaders().get(header));
        return index < values.size() ? values.get(index) : null;
    }

    /** The binder gives one list per Kafka header, in the order of the payloads. */
    private static List<?> list(Object header) {
        return header instanceof List<?> list ? list : List.of();
    }
}
