package io.openiot.policylang;

/**
 * A policy document that AWS IoT Core would refuse. {@link #getMessage()} is the reason, written for the person who
 * sent the document; {@link #ERROR_CODE} is AWS's error name, for the HTTP error body.
 */
public final class MalformedPolicyException extends RuntimeException {

    /** AWS's error name for an invalid policy document (HTTP 400). */
    public static final String ERROR_CODE = "MalformedPolicyException";

    public MalformedPolicyException(String reason) {
        super(reason);
    }

    MalformedPolicyException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** {@value #ERROR_CODE}. */
    public String errorCode() {
        return ERROR_CODE;
    }
}
