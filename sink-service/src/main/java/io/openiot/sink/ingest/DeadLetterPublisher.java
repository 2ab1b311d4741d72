package io.openiot.sink.ingest;

import java.nio.charset.StandardCharsets;
import org.springframework.cloud.stream.binder.kafka.KafkaMessageChannelBinder;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

/**
 * Sends single records the sink cannot store to its dead-letter topic (the output binding {@value #BINDING}), with
 * the headers Spring Cloud Stream's binder uses for dead letters: the reason ({@code x-exception-message}) and where
 * the record was ({@code x-original-topic}, {@code -partition}, {@code -offset}). The send is synchronous, so a record
 * is on the dead-letter topic before its offset is committed.
 */
@Component
class DeadLetterPublisher {

    static final String BINDING = "sinkRecordsDlq";

    private final StreamBridge streamBridge;

    DeadLetterPublisher(StreamBridge streamBridge) {
        this.streamBridge = streamBridge;
    }

    void publish(IncomingRecord record, String reason) {
        MessageBuilder<byte[]> message = MessageBuilder.withPayload(record.value() == null ? new byte[0] : record.value())
                .setHeader(KafkaMessageChannelBinder.X_EXCEPTION_MESSAGE, utf8(reason));
        if (record.key() != null) {
            message.setHeader(KafkaHeaders.KEY, record.key());
        }
        if (record.topic() != null) {
            message.setHeader(KafkaMessageChannelBinder.X_ORIGINAL_TOPIC, utf8(record.topic()));
            message.setHeader(KafkaMessageChannelBinder.X_ORIGINAL_PARTITION, utf8(Integer.toString(record.partition())));
            message.setHeader(KafkaMessageChannelBinder.X_ORIGINAL_OFFSET, utf8(Long.toString(record.offset())));
        }
        if (!streamBridge.send(BINDING, message.build())) {
            throw new IllegalStateException("dead-letter topic did not accept record " + record.position());
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
