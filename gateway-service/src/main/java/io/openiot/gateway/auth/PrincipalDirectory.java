package io.openiot.gateway.auth;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the gateway learns what a client certificate is: its status, its CA's status, the things attached to it and
 * the policy documents attached to it and to its things' groups. Implementations may block; the gateway never calls
 * them on an event loop.
 */
public interface PrincipalDirectory {

    /**
     * @param certificateId lower-case hex SHA-256 of the certificate's DER encoding
     * @return empty when the platform does not know the certificate
     */
    Optional<Principal> find(String certificateId);

    /** Drops what is remembered of one certificate (a security event changed it); no-op without a cache. */
    default void forget(String certificateId) {
    }

    /** Drops everything remembered (a change whose principals the gateway cannot name, e.g. a policy's version). */
    default void forgetAll() {
    }

    /**
     * What the platform knows of one certificate ({@code GET /internal/principals/{certificateId}}); policy-service
     * names the CA's status {@code caCertificateStatus}. {@code things} and {@code thingGroupPolicies} are read when
     * present; fields the gateway does not use are ignored.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Principal(String certificateId, String status, String caCertificateId,
                     @JsonAlias("caCertificateStatus") String caStatus, String thingName,
                     List<NamedPolicy> policies, List<Thing> things, List<NamedPolicy> thingGroupPolicies) {

        public Principal {
            policies = policies == null ? List.of() : List.copyOf(policies);
            things = things == null ? List.of() : List.copyOf(things);
            thingGroupPolicies = thingGroupPolicies == null ? List.of() : List.copyOf(thingGroupPolicies);
        }

        public Principal(String certificateId, String status, String caCertificateId, String caStatus,
                         String thingName, List<NamedPolicy> policies) {
            this(certificateId, status, caCertificateId, caStatus, thingName, policies, null, null);
        }

        /** Only an ACTIVE certificate connects, and only when its CA (if registered) is ACTIVE too. */
        public boolean mayConnect() {
            return "ACTIVE".equals(status) && (caStatus == null || "ACTIVE".equals(caStatus));
        }

        /**
         * The thing whose variables ({@code iot:Connection.Thing.*}) a connection with this client id gets: AWS takes
         * the thing from the client id, so only an attached thing of exactly that name, whether the principal has one
         * thing or several.
         */
        public Optional<Thing> thingFor(String clientId) {
            if (clientId == null) {
                return Optional.empty();
            }
            for (Thing thing : things) {
                if (thing.inPlace() && clientId.equals(thing.thingName())) {
                    return Optional.of(thing);
                }
            }
            // older directory answers name only the thing, without type or attributes
            return things.isEmpty() && clientId.equals(thingName)
                    ? Optional.of(new Thing(thingName, null, Map.of(), true)) : Optional.empty();
        }
    }

    /** A policy attached to the certificate (or to a group of its thing): its name and default version's document. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record NamedPolicy(String policyName, String policyDocument) {
    }

    /**
     * A thing attached to the certificate, as the registry knows it.
     *
     * @param attached whether the attachment is in place; absent in the answer: true
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Thing(String thingName, String thingTypeName, Map<String, String> attributes, Boolean attached) {

        public Thing {
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        boolean inPlace() {
            return attached == null || attached;
        }
    }
}
