package io.openiot.sink.item;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Items")
class AggregateController {

    private final ItemRepository items;
    private final AggregateRepository aggregates;
    private final int maxBuckets;

    AggregateController(ItemRepository items, AggregateRepository aggregates, QueryProperties properties) {
        this.items = items;
        this.aggregates = aggregates;
        this.maxBuckets = properties.maxBuckets();
    }

    @GetMapping(path = "/tables/{table}/aggregate", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Aggregate a numeric attribute per time bucket",
            description = "avg, min, max, sum or count of a top-level numeric attribute per 1m, 1h or 1d bucket of "
                    + "the item's time (the table's time attribute, else the arrival time), optionally per partition "
                    + "key or attribute value; computed by PostgreSQL (date_bin). At most "
                    + "iot.sink.query.max-buckets (10,000 by default) buckets, the earliest first.")
    @ApiResponse(responseCode = "200", description = "The buckets")
    @ApiResponse(responseCode = "400", description = "InvalidRequestException: a parameter cannot be used",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "ResourceNotFoundException: no such table",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @Transactional(readOnly = true)
    Aggregation aggregate(
            @PathVariable @Parameter(description = "table name") String table,
            @RequestParam @Parameter(description = "top-level numeric attribute", example = "power") String field,
            @RequestParam @Parameter(schema = @Schema(allowableValues = {"avg", "min", "max", "sum", "count"}))
            String fn,
            @RequestParam @Parameter(schema = @Schema(allowableValues = {"1m", "1h", "1d"})) String interval,
            @RequestParam(required = false) @Parameter(description = "inclusive start: ISO-8601 or epoch ms")
            String from,
            @RequestParam(required = false) @Parameter(description = "exclusive end: ISO-8601 or epoch ms") String to,
            @RequestParam(required = false) @Parameter(description = "partitionKey or a top-level attribute")
            String groupBy) {
        if (!AggregateRepository.FUNCTIONS.containsKey(fn)) {
            throw new InvalidParameterException("fn", "must be avg, min, max, sum or count");
        }
        if (!AggregateRepository.INTERVALS.containsKey(interval)) {
            throw new InvalidParameterException("interval", "must be 1m, 1h or 1d");
        }
        if (field.isBlank()) {
            throw new InvalidParameterException("field", "must name an attribute");
        }
        Instant fromTime = TimeParameter.parse("from", from);
        Instant toTime = TimeParameter.parse("to", to);
        if (fromTime != null && toTime != null && fromTime.isAfter(toTime)) {
            throw new InvalidParameterException("from", "must not be after 'to'");
        }
        TableDescription description = items.table(table).orElseThrow(() -> new TableNotFoundException(table));
        try {
            return new Aggregation(field, fn, interval, aggregates.aggregate(table, description.timeAttribute(),
                    field, fn, interval, groupBy == null || groupBy.isBlank() ? null : groupBy, fromTime, toTime,
                    maxBuckets));
        } catch (DataIntegrityViolationException e) {
            // 22007/22008: a time attribute value that is neither epoch milliseconds nor an ISO-8601 time
            throw new InvalidParameterException("from", "cannot be applied: an item's time attribute '"
                    + description.timeAttribute() + "' is not epoch milliseconds or ISO-8601");
        }
    }
}
