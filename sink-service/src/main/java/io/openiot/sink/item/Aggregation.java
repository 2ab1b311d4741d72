package io.openiot.sink.item;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** {@code GET /tables/{table}/aggregate}: one value per time bucket (and group), computed by PostgreSQL. */
record Aggregation(String field, String fn, String interval, List<Bucket> buckets) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Bucket(@Schema(description = "bucket start, ISO-8601") Instant start,
                  @Schema(nullable = true, description = "the groupBy value") String group,
                  @Schema(nullable = true) BigDecimal value,
                  @Schema(description = "items with a numeric value in the bucket") long count) {
    }
}
