package io.openiot.sink.ingest;

import io.openiot.contracts.SinkRecord.Operation;
import io.openiot.sink.table.KeySchema.KeyType;
import tools.jackson.databind.JsonNode;

/**
 * A well-formed sink record; whether it fits its table's key schema is decided when the table is known
 * ({@link ItemResolver}). Key names and types are null where the record gave none.
 *
 * @param keysFromItem true (the rules {@code dynamoDBv2} action): the item's own attributes named by the table's key
 *                     schema are its key; {@code partitionKey} is only the source topic then
 */
record StorableItem(String table, String partitionKey, String sortKey, JsonNode item, String sourceMessageId,
                    long timestamp, Operation operation, String partitionKeyName, KeyType partitionKeyType,
                    String sortKeyName, KeyType sortKeyType, String payloadField, boolean keysFromItem) {

    StorableItem(String table, String partitionKey, String sortKey, JsonNode item, String sourceMessageId,
                 long timestamp, Operation operation, String partitionKeyName, KeyType partitionKeyType,
                 String sortKeyName, KeyType sortKeyType, String payloadField) {
        this(table, partitionKey, sortKey, item, sourceMessageId, timestamp, operation, partitionKeyName,
                partitionKeyType, sortKeyName, sortKeyType, payloadField, false);
    }

    /** This item with the key the table's schema finds among its attributes ({@link #keysFromItem}). */
    StorableItem withKey(String partitionKey, String sortKey) {
        return new StorableItem(table, partitionKey, sortKey, item, sourceMessageId, timestamp, operation,
                partitionKeyName, partitionKeyType, sortKeyName, sortKeyType, payloadField, false);
    }

    /** A record of the first contract: no operation, no key names; appended to a time-series table. */
    static StorableItem appended(String table, String partitionKey, String sortKey, JsonNode item,
                                 String sourceMessageId, long timestamp) {
        return new StorableItem(table, partitionKey, sortKey, item, sourceMessageId, timestamp, null, null, null, null,
                null, null);
    }
}
