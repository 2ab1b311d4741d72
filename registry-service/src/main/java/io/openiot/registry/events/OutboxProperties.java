package io.openiot.registry.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The outbox relay.
 *
 * @param enabled      whether the relay starts with the service
 * @param pollInterval pause between two looks at the outbox when the last one found nothing to send
 * @param batchSize    rows sent per round; a round is marked sent only when Kafka acknowledged all of them
 * @param sendTimeout  how long a round waits for Kafka's acknowledgements before it gives up and retries
 */
@ConfigurationProperties("iot.registry.outbox")
record OutboxProperties(@DefaultValue("true") boolean enabled, @DefaultValue("100ms") Duration pollInterval,
                        @DefaultValue("200") int batchSize, @DefaultValue("30s") Duration sendTimeout) {
}
