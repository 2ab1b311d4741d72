package io.openiot.policy.accesskey;

import java.time.Instant;

/** An access key without its secret. {@code status} is IAM's {@code Active} or {@code Inactive}. */
record AccessKey(String accessKeyId, String clientId, String status, Instant createdAt, Instant statusChangedAt) {

    static final String ACTIVE = "Active";
    static final String INACTIVE = "Inactive";

    boolean active() {
        return ACTIVE.equals(status);
    }
}
