package io.openiot.rules.action;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the platform's topics are laid out, read from the binder's own settings ({@code IOT_KAFKA_PARTITIONS},
 * {@code IOT_KAFKA_REPLICATION_FACTOR}) so that the topics this service creates match the ones the binder creates.
 *
 * @param minPartitionCount partitions of a new topic
 * @param replicationFactor replicas of a new topic
 */
@ConfigurationProperties("spring.cloud.stream.kafka.binder")
record TopicLayout(@DefaultValue("6") int minPartitionCount, @DefaultValue("1") short replicationFactor) {
}
