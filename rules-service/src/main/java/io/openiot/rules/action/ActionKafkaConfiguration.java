package io.openiot.rules.action;

import io.openiot.contracts.KafkaTopics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.ProducerListener;

/**
 * The producer that carries out actions. It is a {@link KafkaTemplate}, not a Spring Cloud Stream output binding,
 * because the engine needs a future per record to overlap a batch's sends and still know that each one landed;
 * {@code StreamBridge.send} either blocks per record or gives no answer at all.
 */
@Configuration(proxyBeanMethods = false)
class ActionKafkaConfiguration {

    @Bean
    ProducerFactory<String, byte[]> actionProducerFactory(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // an action counts as done when all in-sync replicas have it; retries add no duplicates
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // a batch's sends overlap, so they form Kafka batches without waiting; lingering would only add delay
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // fail a send within the engine's action timeout (35 s), well inside the consumer's max.poll.interval.ms;
        // spring.kafka.producer.properties.* may shorten them (the fault-injection tests do)
        config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return new DefaultKafkaProducerFactory<>(config);
    }

    @Bean
    KafkaTemplate<String, byte[]> actionKafkaTemplate(ProducerFactory<String, byte[]> actionProducerFactory) {
        KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(actionProducerFactory);
        // the engine logs each failed send once, classified; the default listener would add a stack trace per record
        template.setProducerListener(new ProducerListener<>() { });
        return template;
    }

    /**
     * The topics the actions write to exist from start-up, laid out like the binder's own topics (the binder
     * creates only the topic this service consumes).
     */
    @Bean
    KafkaAdmin.NewTopics actionTopics(TopicLayout layout) {
        return new KafkaAdmin.NewTopics(topic(KafkaTopics.MESSAGES, layout), topic(KafkaTopics.SINK_RECORDS, layout),
                topic(KafkaTopics.RULES_DEAD_LETTERS, layout));
    }

    private static NewTopic topic(String name, TopicLayout layout) {
        return TopicBuilder.name(name).partitions(layout.minPartitionCount()).replicas(layout.replicationFactor())
                .build();
    }
}
