package io.openiot.gateway.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.openiot.policylang.CompiledPolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate-authenticated connections of this replica, so that security changes reach them while they are
 * connected: a revoked certificate (or CA) is disconnected, a changed policy is compiled again and replaces the
 * connection's decisions for its next message. Re-evaluation asks the directory, so it runs on the look-up pool,
 * never on the thread that reads the events.
 */
public final class LiveConnections {

    private static final Logger log = LoggerFactory.getLogger(LiveConnections.class);

    /** What a connection lets this registry do to it; implementations hop onto the connection's own thread. */
    public interface Channel {

        /** From its next message on, the connection uses these decisions. */
        void apply(CompiledPolicies policies);

        /** Closes the connection: its principal may no longer be connected. */
        void revoke(String why);
    }

    /** One live connection; {@link #close()} when it ends. */
    public final class Registration implements AutoCloseable {
        private final Channel channel;
        private volatile ConnectDecision.Identity identity;

        private Registration(Channel channel, ConnectDecision.Identity identity) {
            this.channel = channel;
            this.identity = identity;
        }

        @Override
        public void close() {
            byCertificate.computeIfPresent(identity.certificateId(), (k, set) -> {
                set.remove(this);
                return set.isEmpty() ? null : set;
            });
        }
    }

    private final ConnectAuthorizer authorizer;
    private final ConcurrentMap<String, Set<Registration>> byCertificate = new ConcurrentHashMap<>();
    private final Counter disconnected;
    private final Counter recompiled;
    private final Counter failed;

    public LiveConnections(ConnectAuthorizer authorizer, MeterRegistry meters) {
        this.authorizer = authorizer;
        this.disconnected = action(meters, "disconnected");
        this.recompiled = action(meters, "recompiled");
        this.failed = action(meters, "recompile_failed");
        Gauge.builder("iot.gateway.security.live.connections", this, LiveConnections::size)
                .description("Certificate-authenticated connections that security events reach").register(meters);
    }

    private static Counter action(MeterRegistry meters, String action) {
        return Counter.builder("iot.gateway.security.actions").tag("action", action)
                .description("What security events did to live connections").register(meters);
    }

    /**
     * Records an accepted certificate connection. If a security change arrived while its CONNECT was being decided,
     * the decision may predate it: the connection is evaluated again at once.
     *
     * @return null for a connection without a certificate (development credentials: no security events apply)
     */
    public Registration register(ConnectDecision decision, Channel channel) {
        ConnectDecision.Identity identity = decision.identity();
        if (identity == null) {
            return null;
        }
        Registration registration = new Registration(Objects.requireNonNull(channel), identity);
        byCertificate.compute(identity.certificateId(), (k, set) -> {
            Set<Registration> registrations = set == null ? ConcurrentHashMap.newKeySet() : set;
            registrations.add(registration);
            return registrations;
        });
        if (authorizer.changes() != identity.changesBefore()) {
            reevaluate(List.of(registration));
        }
        return registration;
    }

    int size() {
        return byCertificate.values().stream().mapToInt(Set::size).sum();
    }

    /** Marks that a security change arrived (before acting on it). */
    void changed() {
        authorizer.changed();
    }

    /** Closes every connection of the certificate; returns how many. */
    int disconnectCertificate(String certificateId, String why) {
        return disconnect(matching(r -> r.identity.certificateId().equals(certificateId)), why);
    }

    /** Closes every connection whose certificate the CA signed; returns how many. */
    int disconnectCa(String caCertificateId, String why) {
        return disconnect(matching(r -> caCertificateId.equals(r.identity.caCertificateId())), why);
    }

    /** Compiles again the decisions of every connection of the certificate; returns how many. */
    int reevaluateCertificate(String certificateId) {
        return reevaluate(matching(r -> r.identity.certificateId().equals(certificateId)));
    }

    /** Compiles again the decisions of every connection whose decisions include the policy; returns how many. */
    int reevaluatePolicy(String policyName) {
        return reevaluate(matching(r -> r.identity.policyNames().contains(policyName)));
    }

    /** Compiles again every connection's decisions (a change whose principals the gateway cannot name). */
    int reevaluateAll() {
        return reevaluate(matching(r -> true));
    }

    private List<Registration> matching(Predicate<Registration> filter) {
        List<Registration> found = new ArrayList<>();
        byCertificate.values().forEach(set -> set.forEach(r -> {
            if (filter.test(r)) {
                found.add(r);
            }
        }));
        return found;
    }

    private int disconnect(List<Registration> registrations, String why) {
        for (Registration registration : registrations) {
            registration.close();
            registration.channel.revoke(why);
            disconnected.increment();
        }
        return registrations.size();
    }

    private int reevaluate(List<Registration> registrations) {
        for (Registration registration : registrations) {
            try {
                authorizer.lookups().execute(() -> reevaluate(registration));
            } catch (RejectedExecutionException e) {
                failed.increment(); // shutting down, or the look-up queue is full
            }
        }
        return registrations.size();
    }

    private void reevaluate(Registration registration) {
        ConnectDecision.Identity identity = registration.identity;
        try {
            authorizer.reevaluate(identity).ifPresentOrElse(evaluation -> {
                registration.identity = new ConnectDecision.Identity(identity.certificate(), identity.attempt(),
                        evaluation.principal().caCertificateId(), evaluation.policyNames(),
                        identity.changesBefore());
                registration.channel.apply(evaluation.policies());
                recompiled.increment();
            }, () -> disconnect(List.of(registration), "its certificate may no longer connect"));
        } catch (RuntimeException e) {
            // the connection keeps its decisions; the next event or its reconnect tries again
            failed.increment();
            log.warn("Could not re-evaluate the policies of certificate {}: {}", identity.certificateId(),
                    e.toString());
        }
    }
}
