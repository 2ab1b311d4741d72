package io.openiot.rules.action;

import io.openiot.contracts.KafkaTopics;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which topics a {@code kafka} action may write to: any legal Kafka topic name except the platform's own topics
 * (their records follow contracts a rule's output does not) and Kafka's internal ones.
 */
final class KafkaTopicNames {

    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Set<String> PLATFORM = Set.of(KafkaTopics.MESSAGES, KafkaTopics.SINK_RECORDS,
            KafkaTopics.REGISTRY_EVENTS, KafkaTopics.SECURITY_EVENTS, KafkaTopics.RULES_DEAD_LETTERS);

    private KafkaTopicNames() {
    }

    static Optional<String> violation(String topic) {
        if (!LEGAL.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            return Optional.of("'" + topic + "' is not a Kafka topic name (1-249 characters of A-Z a-z 0-9 . _ -)");
        }
        if (topic.startsWith("__")) {
            return Optional.of("'" + topic + "' is an internal Kafka topic");
        }
        if (PLATFORM.contains(topic) || topic.startsWith(KafkaTopics.MESSAGES + ".")) {
            return Optional.of("'" + topic + "' is a topic of the platform itself (use republish or dynamoDB)");
        }
        return Optional.empty();
    }
}
