package io.openiot.sink.item;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A sink table. Key names are unknown (absent) until writers provide them; {@code itemCount} only in a description
 * of one table, since counting is a scan.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TableDescription(
        String tableName,
        @Schema(nullable = true) String partitionKeyName,
        @Schema(nullable = true) String sortKeyName,
        @Schema(description = "epoch milliseconds") long createdAt,
        @Schema(nullable = true) Long itemCount) {
}
