package io.openiot.sink.item;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** A page of items; {@code nextToken} is present only when there may be more. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ItemPage(
        List<ItemView> items,
        int count,
        @Schema(nullable = true, description = "pass as nextToken to get the next page") String nextToken) {
}
