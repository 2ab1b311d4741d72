package io.openiot.gateway.bridge;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * The producer for device messages. It is used directly through {@link KafkaTemplate}, not through a Spring Cloud
 * Stream output binding, because a QoS 1 PUBACK may only go out once Kafka has acknowledged that very record:
 * {@code KafkaTemplate.send} gives a future per record, {@code StreamBridge.send} does not.
 */
@Configuration(proxyBeanMethods = false)
class KafkaProducerConfiguration {

    /** Bounds how long {@code send} may block a Netty event loop when metadata is missing or the buffer is full. */
    private static final int MAX_BLOCK_MS = 5_000;
    /**
     * A send is decided (stored or failed) within this time, so a device waits no longer for its PUBACK and the HTTP
     * publish, which waits 30 s, never gives up on a record that Kafka may still store.
     */
    static final int DELIVERY_TIMEOUT_MS = 25_000;
    private static final int REQUEST_TIMEOUT_MS = 10_000;

    @Bean
    ProducerFactory<String, byte[]> messageProducerFactory(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // a PUBACK promises the message is stored: all in-sync replicas, no duplicates from producer retries
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        return new DefaultKafkaProducerFactory<>(config);
    }

    @Bean
    KafkaTemplate<String, byte[]> messageKafkaTemplate(ProducerFactory<String, byte[]> messageProducerFactory) {
        return new KafkaTemplate<>(messageProducerFactory);
    }
}
