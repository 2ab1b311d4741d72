package io.openiot.sink.item;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** {@code POST /tables}: a table and its key schema. */
record CreateTableRequest(
        @Schema(example = "telemetry") String tableName,
        @Schema(description = "partition (hash) key") KeyAttribute partitionKey,
        @Schema(nullable = true, description = "sort (range) key, optional") KeyAttribute sortKey,
        @Schema(nullable = true, description = "attribute holding the item's time (epoch milliseconds or ISO-8601)")
        String timeAttribute,
        @Schema(nullable = true, description = "attribute holding the expiry time, epoch seconds") String ttlAttribute,
        @Schema(nullable = true, description = "days items are kept") Integer retentionDays,
        @Schema(nullable = true, description = "attributes that get a NUMERIC column in the table's SQL view")
        List<String> numericAttributes) {

    /** A key attribute: its name and type, {@code S}, {@code N} or {@code B}. */
    record KeyAttribute(@Schema(example = "device") String name,
                        @Schema(allowableValues = {"S", "N", "B"}, example = "S") String type) {
    }
}
