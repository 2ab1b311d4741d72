package io.openiot.sink.item;

import io.openiot.sink.table.KeySchema.KeyType;
import java.time.Instant;

/**
 * One page of a table's items, newest first.
 *
 * @param partitionKey only this partition, or {@code null} for all
 * @param from         inclusive lower bound of the message time, or {@code null}
 * @param to           exclusive upper bound of the message time, or {@code null}
 * @param after        where the previous page ended, or {@code null} for the first page
 * @param sortKeys     a sort-key range or prefix within the partition, or {@code null}
 */
record ItemQuery(String table, String partitionKey, Instant from, Instant to, int limit, PageToken after,
                 SortKeys sortKeys) {

    ItemQuery(String table, String partitionKey, Instant from, Instant to, int limit, PageToken after) {
        this(table, partitionKey, from, to, limit, after, null);
    }

    /**
     * Sort keys as the request gives them: {@code from} and {@code to} inclusive bounds (as DynamoDB's BETWEEN),
     * {@code prefix} a beginning (strings and binaries); each may be null. Checked and made canonical against the
     * table's sort key type by {@link ItemReader}.
     */
    record SortKeys(String from, String to, String prefix) {

        boolean any() {
            return from != null || to != null || prefix != null;
        }
    }

    /** The sort keys made canonical for a table's sort key type. */
    record SortRange(KeyType type, String from, String to, String prefix) {
    }
}
