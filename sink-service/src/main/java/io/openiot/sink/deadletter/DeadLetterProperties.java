package io.openiot.sink.deadletter;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the sink's dead letters are and where a replay sends them; {@code sink-service.yml} points the topics and
 * brokers at the bindings' own settings, so that the two cannot drift apart.
 *
 * @param topic            the dead-letter topic
 * @param replayTopic      where a replayed record goes: the topic the sink consumes
 * @param bootstrapServers Kafka brokers
 * @param replayGroup      consumer group whose committed offsets mark what was already replayed
 * @param maxReplay        most records one replay request moves
 * @param timeout          longest a replay request waits for Kafka
 */
@Validated
@ConfigurationProperties("iot.sink.dead-letters")
record DeadLetterProperties(
        @NotBlank String topic,
        @NotBlank String replayTopic,
        @NotBlank String bootstrapServers,
        @DefaultValue("sink-service.dlq-replay") @NotBlank String replayGroup,
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int maxReplay,
        @DefaultValue("30s") @NotNull Duration timeout) {
}
