package io.openiot.rules.sql;

import java.time.Duration;
import java.util.Optional;

/**
 * The port through which {@code get_thing_shadow} and {@code get_dynamodb} read other services: the shadow service
 * and the sink. Answers are JSON bytes; an empty answer means "no such shadow or item" (the function is then
 * Undefined). A lookup that cannot be answered now (service down, timeout, refused credentials) throws
 * {@link LookupFailedException}: the rule's evaluation fails and its error action runs, as in AWS.
 */
public interface ExternalData {

    /** No lookups configured: every external function fails. */
    ExternalData NONE = new ExternalData() {
        @Override
        public Optional<byte[]> thingShadow(String thingName, String shadowName) {
            throw new LookupFailedException("no shadow service is configured for get_thing_shadow()");
        }

        @Override
        public Optional<byte[]> item(String tableName, String partitionKey, String sortKey) {
            throw new LookupFailedException("no sink is configured for get_dynamodb()");
        }
    };

    /**
     * The shadow document as GetThingShadow returns it.
     *
     * @param shadowName a named shadow, or {@code null} for the classic shadow
     */
    Optional<byte[]> thingShadow(String thingName, String shadowName);

    /**
     * The item with that key in plain JSON (not DynamoDB's attribute-value JSON), key attributes included.
     *
     * @param sortKey the sort key's value, or {@code null} for a table without one
     */
    Optional<byte[]> item(String tableName, String partitionKey, String sortKey);

    /** How long a rule keeps an answer (found or not found); zero keeps nothing. */
    default Duration cacheTtl() {
        return Duration.ZERO;
    }

    /** How many answers a rule keeps at most. */
    default int cacheSize() {
        return 0;
    }
}
