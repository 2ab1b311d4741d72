package io.openiot.sink.ingest;

/** A validated sink record, ready for the {@code item} table; {@code itemJson} is the item as JSON text. */
record StorableItem(String table, String partitionKey, String sortKey, String itemJson, String sourceMessageId,
                    long timestamp) {
}
