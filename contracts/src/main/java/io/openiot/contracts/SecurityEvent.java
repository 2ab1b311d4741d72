package io.openiot.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A change to what a principal may do, the value of a record on {@link KafkaTopics#SECURITY_EVENTS} (as JSON). The
 * record key is {@link #principal}: a certificate id, or for policy-wide changes the policy name, so that the events
 * of one principal stay in order. Consumers are idempotent by {@link #eventId} (delivery is at least once) and treat
 * a status as a state, not a delta. Fields a type does not use are absent from the JSON.
 *
 * @param eventId         unique id of this event, stable across redeliveries
 * @param type            one of {@link Types}
 * @param principal       the Kafka key: certificate id, or the policy name for policy-wide changes
 * @param timestamp       epoch milliseconds of the change
 * @param certificateId   the certificate concerned (certificate events, attachments to a certificate)
 * @param status          the certificate's new status ({@code ACTIVE}, {@code INACTIVE}, {@code REVOKED}, ...)
 * @param policyName      the policy concerned
 * @param policyVersionId the version concerned (version set as default)
 * @param target          the attachment target ARN (attach/detach)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecurityEvent(String eventId, String type, String principal, long timestamp, String certificateId,
                            String status, String policyName, String policyVersionId, String target) {

    public SecurityEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(principal, "principal");
    }

    /** The stable type strings. New types may be added; consumers ignore types they do not know. */
    public static final class Types {
        public static final String CERTIFICATE_CREATED = "CertificateCreated";
        public static final String CERTIFICATE_STATUS_CHANGED = "CertificateStatusChanged";
        public static final String CERTIFICATE_DELETED = "CertificateDeleted";
        public static final String CA_CERTIFICATE_STATUS_CHANGED = "CaCertificateStatusChanged";
        public static final String POLICY_VERSION_SET_AS_DEFAULT = "PolicyVersionSetAsDefault";
        public static final String POLICY_DELETED = "PolicyDeleted";
        public static final String POLICY_ATTACHED = "PolicyAttached";
        public static final String POLICY_DETACHED = "PolicyDetached";

        private Types() {
        }
    }
}
