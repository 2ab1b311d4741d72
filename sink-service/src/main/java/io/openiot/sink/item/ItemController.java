package io.openiot.sink.item;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Items", description = "Items that rules stored in sink tables")
class ItemController {

    private final ItemReader reader;
    private final QueryProperties properties;

    ItemController(ItemReader reader, QueryProperties properties) {
        this.reader = reader;
        this.properties = properties;
    }

    @GetMapping(path = "/tables/{table}/items", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List items, newest first",
            description = "Items ordered by message time, then by arrival, newest first; one partition or all. "
                    + "Follow nextToken for the next page; a page never repeats or skips an item.")
    @ApiResponse(responseCode = "200", description = "A page of items")
    @ApiResponse(responseCode = "400", description = "InvalidRequestException: a parameter cannot be used",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "ResourceNotFoundException: no such table",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    ItemPage items(
            @PathVariable @Parameter(description = "table name") String table,
            @RequestParam(required = false) @Parameter(description = "only items of this partition key")
            String partitionKey,
            @RequestParam(required = false) @Parameter(description = "inclusive lower bound of the message time: "
                    + "ISO-8601 instant or epoch milliseconds", example = "2024-05-01T00:00:00Z") String from,
            @RequestParam(required = false) @Parameter(description = "exclusive upper bound of the message time: "
                    + "ISO-8601 instant or epoch milliseconds", example = "1714608000000") String to,
            @RequestParam(required = false) @Parameter(description = "items per page, 1 to the maximum page size "
                    + "(1000 by default); 100 when absent") Integer limit,
            @RequestParam(required = false) @Parameter(description = "nextToken of the previous page")
            String nextToken,
            @RequestParam(required = false) @Parameter(description = "with partitionKey: inclusive lower bound of "
                    + "the sort key (numbers by value, strings in byte order, binaries as base64)") String sortKeyFrom,
            @RequestParam(required = false) @Parameter(description = "with partitionKey: inclusive upper bound of "
                    + "the sort key") String sortKeyTo,
            @RequestParam(required = false) @Parameter(description = "with partitionKey: sort keys that begin with "
                    + "this (string or base64 binary sort keys)") String sortKeyPrefix) {
        Instant fromTime = TimeParameter.parse("from", from);
        Instant toTime = TimeParameter.parse("to", to);
        if (fromTime != null && toTime != null && fromTime.isAfter(toTime)) {
            throw new InvalidParameterException("from", "must not be after 'to'");
        }
        int pageSize = limit == null ? Math.min(properties.defaultPageSize(), properties.maxPageSize()) : limit;
        if (pageSize < 1 || pageSize > properties.maxPageSize()) {
            throw new InvalidParameterException("limit", "must be between 1 and " + properties.maxPageSize());
        }
        PageToken after = nextToken == null || nextToken.isEmpty() ? null : PageToken.decode(nextToken);
        String partition = partitionKey == null || partitionKey.isEmpty() ? null : partitionKey;
        ItemQuery.SortKeys sortKeys = new ItemQuery.SortKeys(blankToNull(sortKeyFrom), blankToNull(sortKeyTo),
                blankToNull(sortKeyPrefix));
        return reader.page(new ItemQuery(table, partition, fromTime, toTime, pageSize, after,
                sortKeys.any() ? sortKeys : null));
    }

    private static String blankToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    @GetMapping(path = {"/tables/{table}/items/{partitionKey}", "/tables/{table}/items/{partitionKey}/{sortKey}"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Get one item by its key",
            description = "The item with this partition key (and sort key, when the table has one); one index lookup")
    @ApiResponse(responseCode = "200", description = "The item")
    @ApiResponse(responseCode = "400", description = "InvalidRequestException: the key does not fit the table",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "ResourceNotFoundException: no such table or item",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    ItemView item(@PathVariable @Parameter(description = "table name") String table,
                  @PathVariable @Parameter(description = "partition key value") String partitionKey,
                  @PathVariable(required = false) @Parameter(description = "sort key value, when the table has one")
                  String sortKey) {
        return reader.item(table, partitionKey, sortKey);
    }
}
