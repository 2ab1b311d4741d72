package io.openiot.contracts;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One item for the storage sink, the value of a record on {@link KafkaTopics#SINK_RECORDS} (as JSON). The record key
 * is {@link #kafkaKey()}, so that all items of one partition key stay in order.
 *
 * @param table           table name, created on first write
 * @param partitionKey    partition (hash) key value
 * @param sortKey         sort (range) key value, or {@code null}
 * @param item            the item to store, a JSON value
 * @param sourceMessageId unique id of what produced this item (trace id, rule and action); a redelivered record with
 *                        the same id in the same table is stored once
 * @param timestamp       epoch milliseconds of the source message; time-range queries filter on it
 */
public record SinkRecord(String table, String partitionKey, String sortKey, JsonNode item, String sourceMessageId,
                         long timestamp) {

    public SinkRecord {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(sourceMessageId, "sourceMessageId");
    }

    /** Kafka record key: {@code <table>|<partitionKey>}. */
    public String kafkaKey() {
        return table + "|" + partitionKey;
    }
}
