package io.openiot.policy.thing;

import io.openiot.contracts.RegistryEvent;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code registryEvents} function bound to {@code iot.registry-events} (group {@code policy-service}): one record
 * at a time, applied in its own transaction. A failure (database down, a record that is not a registry event) is
 * retried by the binder and then parked on {@code iot.registry-events.policy-service.dlq}.
 */
@Component("registryEvents")
class RegistryEventsConsumer implements Consumer<Message<byte[]>> {

    private static final Logger log = LoggerFactory.getLogger(RegistryEventsConsumer.class);
    // fields the registry adds later must not stop this consumer
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final ThingProjection projection;

    RegistryEventsConsumer(ThingProjection projection) {
        this.projection = projection;
    }

    @Override
    public void accept(Message<byte[]> message) {
        RegistryEvent event = JSON.readValue(message.getPayload(), RegistryEvent.class);
        if (!projection.apply(event)) {
            log.debug("registry event {} ({}) applied before: skipped", event.eventId(), event.type());
        }
    }
}
