package io.openiot.shadow.store;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * Sends shadow responses to {@code iot.messages}, keyed by their MQTT topic, and waits until Kafka has all of them.
 * A {@link KafkaTemplate} rather than a stream binding, because the caller needs to know that each record landed
 * before it moves on (outbox rows are deleted only then, and the next request is answered only after this one).
 */
@Component
class ResponseSender {

    private final KafkaTemplate<String, byte[]> kafka;

    ResponseSender(KafkaProperties properties) {
        Map<String, Object> config = new HashMap<>(properties.buildProducerProperties());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // keeps the order of one topic's responses across retries
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        this.kafka = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
    }

    /** Sends the messages in order and returns once Kafka acknowledged every one. */
    void send(List<IotMessage> messages) {
        List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>(messages.size());
        for (IotMessage message : messages) {
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(KafkaTopics.MESSAGES, message.topic(), message.payload());
            message.headers().forEach((name, value) -> record.headers().add(name, value));
            sends.add(kafka.send(record));
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResponsesNotSentException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ResponsesNotSentException(e);
        }
    }

}
