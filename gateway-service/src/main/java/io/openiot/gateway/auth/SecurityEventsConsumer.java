package io.openiot.gateway.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.contracts.SecurityEvent;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code securityEvents} binding: {@code iot.security-events} as policy-service publishes them, in a consumer
 * group of this replica's own (every replica holds its own connections, so every replica must see every event),
 * from the latest offset (what the gateway remembers is rebuilt from the directory). Each event first makes the
 * directory's cache forget what it changed, then acts on the live connections:
 * <ul>
 *   <li>a certificate no longer ACTIVE, or deleted: its connections are closed;</li>
 *   <li>a CA no longer ACTIVE: the connections of the certificates it signed are closed;</li>
 *   <li>a policy attached, detached, with a new default version or deleted, and a thing attached to or detached
 *       from a certificate: the connections concerned get their policies compiled again.</li>
 * </ul>
 * Every action is a state, not a delta, so a redelivered event does no harm. Unknown types are counted and ignored.
 */
final class SecurityEventsConsumer implements Consumer<byte[]> {

    /** policy-service's event when a thing is attached to or detached from a certificate (key: certificate id). */
    static final String PRINCIPAL_THING_CHANGED = "PrincipalThingChanged";

    private static final java.util.Set<String> KNOWN_TYPES = java.util.Set.of(
            SecurityEvent.Types.CERTIFICATE_CREATED, SecurityEvent.Types.CERTIFICATE_STATUS_CHANGED,
            SecurityEvent.Types.CERTIFICATE_DELETED, SecurityEvent.Types.CA_CERTIFICATE_STATUS_CHANGED,
            SecurityEvent.Types.POLICY_VERSION_SET_AS_DEFAULT, SecurityEvent.Types.POLICY_DELETED,
            SecurityEvent.Types.POLICY_ATTACHED, SecurityEvent.Types.POLICY_DETACHED, PRINCIPAL_THING_CHANGED,
            "unreadable");
    private static final Logger log = LoggerFactory.getLogger(SecurityEventsConsumer.class);
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final PrincipalDirectory directory;
    private final LiveConnections connections;
    private final MeterRegistry meters;

    SecurityEventsConsumer(PrincipalDirectory directory, LiveConnections connections, MeterRegistry meters) {
        this.directory = directory;
        this.connections = connections;
        this.meters = meters;
    }

    @Override
    public void accept(byte[] payload) {
        SecurityEvent event;
        try {
            event = JSON.readValue(payload, SecurityEvent.class);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            count("unreadable");
            log.warn("Ignoring a security event that does not parse: {}", e.toString());
            return;
        }
        count(event.type());
        connections.changed();
        handle(event);
    }

    private void handle(SecurityEvent event) {
        String certificateId = event.certificateId();
        switch (event.type()) {
            case SecurityEvent.Types.CERTIFICATE_STATUS_CHANGED -> {
                directory.forget(certificateId);
                if ("ACTIVE".equals(event.status())) {
                    connections.reevaluateCertificate(certificateId);
                } else {
                    disconnected(event, connections.disconnectCertificate(certificateId,
                            "its certificate is now " + event.status()));
                }
            }
            case SecurityEvent.Types.CERTIFICATE_DELETED -> {
                directory.forget(certificateId);
                disconnected(event, connections.disconnectCertificate(certificateId, "its certificate was deleted"));
            }
            case SecurityEvent.Types.CA_CERTIFICATE_STATUS_CHANGED -> {
                // every cached answer carries its CA's status
                directory.forgetAll();
                if (!"ACTIVE".equals(event.status())) {
                    disconnected(event, connections.disconnectCa(certificateId, "its CA is now " + event.status()));
                }
            }
            case SecurityEvent.Types.POLICY_ATTACHED, SecurityEvent.Types.POLICY_DETACHED -> {
                if (certificateId != null) {
                    directory.forget(certificateId);
                    connections.reevaluateCertificate(certificateId);
                } else {
                    // a thing group (or other) target: the gateway does not know its members
                    directory.forgetAll();
                    connections.reevaluateAll();
                }
            }
            case SecurityEvent.Types.POLICY_VERSION_SET_AS_DEFAULT, SecurityEvent.Types.POLICY_DELETED -> {
                directory.forgetAll();
                connections.reevaluatePolicy(event.policyName() != null ? event.policyName() : event.principal());
            }
            case PRINCIPAL_THING_CHANGED -> {
                String id = certificateId != null ? certificateId : event.principal();
                directory.forget(id);
                connections.reevaluateCertificate(id);
            }
            default -> {
                // CertificateCreated and types added later change nothing a live connection holds
            }
        }
    }

    private void disconnected(SecurityEvent event, int count) {
        if (count > 0) {
            log.info("Security event {} ({}) closed {} connection(s) of {}", event.eventId(), event.type(), count,
                    event.principal());
        }
    }

    private void count(String type) {
        // the tag takes only the known types, so a new type cannot grow the metric without bound
        String tag = KNOWN_TYPES.contains(type) ? type : "other";
        Counter.builder("iot.gateway.security.events").tag("type", tag)
                .description("Security events received from iot.security-events").register(meters).increment();
    }
}
