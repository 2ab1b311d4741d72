package io.openiot.rules.destination;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * HTTP destinations and the {@code http} action.
 *
 * @param enableUrlBase    base of the {@code enableUrl} in a confirmation request ({@code <base>/confirmdestination/
 *                         <token>}); empty: the base URL the CreateTopicRuleDestination request came in on
 * @param requestTimeout   how long one attempt waits for the endpoint's answer (a timeout is retried)
 * @param connectTimeout   how long one attempt waits to connect
 * @param maxAttempts      attempts per request on 429, 5xx, timeouts and connection failures (AWS: 3)
 * @param initialBackoff   wait before the second attempt; doubled before each further one
 * @param queueCapacity    requests waiting per destination; beyond it a request fails at once
 * @param concurrency      requests in flight per destination
 * @param queueFullTransient true: a full queue is a transient failure (the record's batch is retried with the
 *                         consumer paused); false (default): a permanent one (the error action, else the dead-letter
 *                         topic, from which a replay sends it later), so that one endpoint never holds the stream
 * @param refreshInterval  how long the engine trusts its copy of the destinations (writes on this replica apply at
 *                         once)
 */
@Validated
@ConfigurationProperties("iot.rules.destinations")
record DestinationProperties(
        @DefaultValue("") String enableUrlBase,
        @DefaultValue("3s") @NotNull Duration requestTimeout,
        @DefaultValue("3s") @NotNull Duration connectTimeout,
        @DefaultValue("3") @Min(1) @Max(10) int maxAttempts,
        @DefaultValue("200ms") @NotNull Duration initialBackoff,
        @DefaultValue("1000") @Min(1) int queueCapacity,
        @DefaultValue("4") @Min(1) @Max(256) int concurrency,
        @DefaultValue("false") boolean queueFullTransient,
        @DefaultValue("5s") @NotNull Duration refreshInterval) {
}
