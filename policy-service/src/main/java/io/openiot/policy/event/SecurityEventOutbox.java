package io.openiot.policy.event;

import io.openiot.contracts.SecurityEvent;
import java.time.Clock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes security events into the outbox in the caller's transaction, so that an event exists exactly when its
 * change was committed. The outbox row id becomes the event id; {@link OutboxRelay} sends them.
 */
@Component
public class SecurityEventOutbox {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final Clock clock;

    SecurityEventOutbox(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** An event about a certificate: key = the certificate id. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void certificate(String type, String certificateId, String status) {
        write(type, certificateId, certificateId, status, null, null, null);
    }

    /** An event about a policy: key = the policy name (the gateway maps policies to connected principals). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void policy(String type, String policyName, String versionId, String target) {
        write(type, policyName, null, null, policyName, versionId, target);
    }

    /**
     * An attachment change: key = the principal, i.e. the certificate id for a certificate target, the target ARN
     * otherwise (a thing group: the gateway resolves its members).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void attachment(String type, String policyName, String target, String certificateIdOrNull) {
        write(type, certificateIdOrNull != null ? certificateIdOrNull : target, certificateIdOrNull, null, policyName,
                null, target);
    }

    /** Outbox rows of this type are MQTT messages for {@code iot.messages}: key = the MQTT topic. */
    static final String MQTT_MESSAGE = "$mqtt";

    /**
     * An MQTT message the platform publishes (AWS's {@code $aws/events/...}), sent to {@code iot.messages} by the
     * same relay, so it leaves exactly when the change that caused it committed.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void mqttMessage(String topic, String jsonPayload) {
        jdbc.sql("INSERT INTO outbox (aggregate_key, event_type, payload) VALUES (:topic, :type, CAST(:payload AS jsonb))")
                .param("topic", topic).param("type", MQTT_MESSAGE).param("payload", jsonPayload).update();
    }

    private void write(String type, String key, String certificateId, String status, String policyName,
            String versionId, String target) {
        long id = jdbc.sql("SELECT nextval(pg_get_serial_sequence('outbox', 'id'))").query(Long.class).single();
        SecurityEvent event = new SecurityEvent(Long.toString(id), type, key, clock.millis(), certificateId, status,
                policyName, versionId, target);
        jdbc.sql("INSERT INTO outbox (id, aggregate_key, event_type, payload) OVERRIDING SYSTEM VALUE "
                        + "VALUES (:id, :key, :type, CAST(:payload AS jsonb))")
                .param("id", id).param("key", key).param("type", type)
                .param("payload", JSON.writeValueAsString(event)).update();
    }
}
