package io.openiot.rules.destination;

import java.time.Instant;

/** One row of {@code topic_rule_destination}. */
record Destination(String arn, String confirmationUrl, DestinationStatus status, String statusReason,
                   String confirmationToken, boolean confirmed, Instant createdAt, Instant lastUpdatedAt) {
}
