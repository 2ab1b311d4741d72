package io.openiot.sink.item;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;

/** One stored item as the API returns it; {@code item} is the stored JSON, passed through without re-parsing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ItemView(
        String partitionKey,
        @Schema(nullable = true) String sortKey,
        @Schema(description = "message time, epoch milliseconds") long timestamp,
        @Schema(description = "when the sink stored the item, epoch milliseconds") long storedAt,
        @JsonRawValue @Schema(type = "object", description = "the item as written") String item) {
}
