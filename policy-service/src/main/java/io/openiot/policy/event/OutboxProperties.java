package io.openiot.policy.event;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code iot.policy.events.*}: how the outbox relay polls.
 *
 * @param relayInterval pause between polls when the outbox is empty
 * @param batchSize     events sent per transaction
 */
@ConfigurationProperties("iot.policy.events")
record OutboxProperties(@DefaultValue("200ms") Duration relayInterval, @DefaultValue("100") int batchSize) {
}
