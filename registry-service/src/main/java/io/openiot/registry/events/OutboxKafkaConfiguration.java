package io.openiot.registry.events;

import io.openiot.contracts.KafkaTopics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The relay's producer: a {@link KafkaTemplate} because the relay needs one acknowledgement per record before it
 * marks the outbox. Idempotence keeps the order of one key's records across the producer's own retries.
 */
@Configuration(proxyBeanMethods = false)
class OutboxKafkaConfiguration {

    @Bean
    KafkaTemplate<String, byte[]> outboxKafkaTemplate(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 25_000);
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
    }

    /** AWS's registry event messages go to iot.messages; it exists from start-up like the binder's topics. */
    @Bean
    KafkaAdmin.NewTopics registryOutputTopics(
            @Value("${spring.cloud.stream.kafka.binder.min-partition-count:6}") int partitions,
            @Value("${spring.cloud.stream.kafka.binder.replication-factor:1}") short replicas) {
        return new KafkaAdmin.NewTopics(TopicBuilder.name(KafkaTopics.MESSAGES).partitions(partitions)
                .replicas(replicas).build());
    }
}
