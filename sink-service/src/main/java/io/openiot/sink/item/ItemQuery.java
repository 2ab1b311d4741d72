package io.openiot.sink.item;

import java.time.Instant;

/**
 * One page of a table's items, newest first.
 *
 * @param partitionKey only this partition, or {@code null} for all
 * @param from         inclusive lower bound of the message time, or {@code null}
 * @param to           exclusive upper bound of the message time, or {@code null}
 * @param after        where the previous page ended, or {@code null} for the first page
 */
record ItemQuery(String table, String partitionKey, Instant from, Instant to, int limit, PageToken after) {
}
