package io.openiot.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.cloud.stream.binder.kafka.properties.KafkaConsumerProperties;
import org.springframework.cloud.stream.binder.kafka.properties.KafkaProducerProperties;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * gateway-service.yml gives every topic the binder creates (a binding's own, a producer's, a consumer's dead-letter
 * topic) {@code min.insync.replicas} from {@code IOT_KAFKA_MIN_INSYNC_REPLICAS}, bound into the binder's own property
 * classes as the binder reads them. {@code KafkaOutageIT} shows the topic created with it.
 */
class TopicSettingsTest {

    @Test
    void everyTopicTheBinderCreatesGetsMinInsyncReplicasFromTheEnvironment() throws IOException {
        Binder binder = binderOverGatewayYml(Map.of("IOT_KAFKA_MIN_INSYNC_REPLICAS", "2"));

        KafkaConsumerProperties consumer = binder.bind("spring.cloud.stream.kafka.default.consumer",
                KafkaConsumerProperties.class).get();
        KafkaProducerProperties producer = binder.bind("spring.cloud.stream.kafka.default.producer",
                KafkaProducerProperties.class).get();

        assertThat(consumer.getTopic().getProperties()).containsEntry("min.insync.replicas", "2");
        assertThat(consumer.getDlqProducerProperties().getTopic().getProperties())
                .containsEntry("min.insync.replicas", "2");
        assertThat(producer.getTopic().getProperties()).containsEntry("min.insync.replicas", "2");
    }

    @Test
    void minInsyncReplicasDefaultsToOneLikeTheReplicationFactor() throws IOException {
        Binder binder = binderOverGatewayYml(Map.of());

        KafkaConsumerProperties consumer = binder.bind("spring.cloud.stream.kafka.default.consumer",
                KafkaConsumerProperties.class).get();

        assertThat(consumer.getTopic().getProperties()).containsEntry("min.insync.replicas", "1");
        assertThat(binder.bind("spring.cloud.stream.kafka.binder.replication-factor", Short.class).get())
                .isEqualTo((short) 1);
    }

    private static Binder binderOverGatewayYml(Map<String, Object> environmentVariables) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("variables", environmentVariables));
        new YamlPropertySourceLoader().load("gateway-service.yml", new ClassPathResource("gateway-service.yml"))
                .forEach(environment.getPropertySources()::addLast);
        return new Binder(ConfigurationPropertySources.from(environment.getPropertySources()),
                new PropertySourcesPlaceholdersResolver(environment));
    }
}
