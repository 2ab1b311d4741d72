package io.openiot.contracts;

/**
 * Headers a service adds to a record it puts on a dead-letter topic, beside the record's own headers (UTF-8 text).
 * They say why the record is there, so that a person can fix the cause and replay it.
 */
public final class DeadLetterHeaders {

    /** Why: a short code such as {@code action-failed}, {@code error-action-failed} or {@code retries-exhausted}. */
    public static final String REASON = "iot_dlq_reason";
    /** The rule whose actions failed (rules-service). */
    public static final String RULE = "iot_dlq_rule";
    /** The action that failed, as {@code <AWS action name>:<resource>}; the first one when several failed. */
    public static final String FAILED_ACTION = "iot_dlq_failed_action";
    /** The error message of that failure, shortened to at most 1000 characters. */
    public static final String ERROR = "iot_dlq_error";
    /** Epoch milliseconds at which the record was dead-lettered. */
    public static final String TIMESTAMP = "iot_dlq_timestamp";

    private DeadLetterHeaders() {
    }
}
