package io.openiot.registry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Behaviour of the registry API.
 *
 * @param thingTypeDeletionDelay how long a thing type must have been deprecated before DeleteThingType accepts it
 *                               (AWS: 5 minutes; tests set 0)
 * @param defaultPageSize        page size of the list calls when the caller gives no {@code maxResults}
 */
@ConfigurationProperties("iot.registry")
public record RegistryProperties(@DefaultValue("5m") Duration thingTypeDeletionDelay,
                                 @DefaultValue("50") int defaultPageSize) {
}
