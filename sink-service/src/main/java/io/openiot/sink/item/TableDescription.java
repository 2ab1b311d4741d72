package io.openiot.sink.item;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A sink table. Key names are absent for a time-series table (created by records without key names, where every
 * record appends an item); {@code itemCount} only in a description of one table, since counting is a scan.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TableDescription(
        String tableName,
        @Schema(nullable = true) String partitionKeyName,
        @Schema(nullable = true, allowableValues = {"S", "N", "B"}) String partitionKeyType,
        @Schema(nullable = true) String sortKeyName,
        @Schema(nullable = true, allowableValues = {"S", "N", "B"}) String sortKeyType,
        @Schema(nullable = true) String timeAttribute,
        @Schema(nullable = true) String ttlAttribute,
        @Schema(nullable = true) Integer retentionDays,
        @Schema(description = "epoch milliseconds") long createdAt,
        @Schema(nullable = true) Long itemCount) {

    TableDescription withItemCount(long count) {
        return new TableDescription(tableName, partitionKeyName, partitionKeyType, sortKeyName, sortKeyType,
                timeAttribute, ttlAttribute, retentionDays, createdAt, count);
    }
}
