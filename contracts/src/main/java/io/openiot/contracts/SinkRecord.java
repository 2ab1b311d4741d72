package io.openiot.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One item for the storage sink, the value of a record on {@link KafkaTopics#SINK_RECORDS} (as JSON). The record key
 * is {@link #kafkaKey()}, so that all items of one partition key stay in order.
 *
 * <p>The fields after {@code timestamp} were added for DynamoDB item semantics (issue 9); all are optional. A record
 * without an {@code operation} keeps its first meaning: it appends one item, identified by its source message id
 * (a time series). With an operation the item is identified by its key, as in DynamoDB.
 *
 * @param table            table name
 * @param partitionKey     partition (hash) key value, as text (a number as its decimal digits, binary as base64)
 * @param sortKey          sort (range) key value, or {@code null}
 * @param item             the item to store, a JSON value
 * @param sourceMessageId  unique id of what produced this item (trace id, rule and action); a redelivered record with
 *                         the same id in the same table is applied once
 * @param timestamp        epoch milliseconds of the source message; time-range queries filter on it
 * @param operation        {@code INSERT} (put: replaces the item with this key), {@code UPDATE} (sets
 *                         {@code payloadField} of the item with this key, keeps its other attributes), {@code DELETE}
 *                         (removes it), or {@code null}: append as before
 * @param partitionKeyName attribute name of the partition key; names the key of an auto-created table
 * @param partitionKeyType {@code S}, {@code N} or {@code B} ({@code null}: {@code S})
 * @param sortKeyName      attribute name of the sort key, or {@code null}
 * @param sortKeyType      {@code S}, {@code N} or {@code B} ({@code null}: {@code S})
 * @param payloadField     the attribute the item goes into; {@code null}: an INSERT stores the item's own fields
 *                         (it must be a JSON object) and an UPDATE sets attribute {@code payload}
 */
// absent optional members stay absent on the wire, so records of producers that predate them read the same
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SinkRecord(String table, String partitionKey, String sortKey, JsonNode item, String sourceMessageId,
                         long timestamp, Operation operation, String partitionKeyName, String partitionKeyType,
                         String sortKeyName, String sortKeyType, String payloadField) {

    /** What a record does to the item with its key. */
    public enum Operation { INSERT, UPDATE, DELETE }

    public SinkRecord {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(sourceMessageId, "sourceMessageId");
    }

    /** A record as before issue 9: appends one item, identified by its source message id. */
    public SinkRecord(String table, String partitionKey, String sortKey, JsonNode item, String sourceMessageId,
                      long timestamp) {
        this(table, partitionKey, sortKey, item, sourceMessageId, timestamp, null, null, null, null, null, null);
    }

    /** Kafka record key: {@code <table>|<partitionKey>}. */
    public String kafkaKey() {
        return table + "|" + partitionKey;
    }
}
