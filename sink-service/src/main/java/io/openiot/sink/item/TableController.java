package io.openiot.sink.item;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Tables", description = "Sink tables; a table exists once something was written to it")
class TableController {

    private final ItemReader reader;

    TableController(ItemReader reader) {
        this.reader = reader;
    }

    @GetMapping(path = "/tables", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List tables", description = "All sink tables by name, without item counts")
    @ApiResponse(responseCode = "200", description = "The tables")
    TableList tables() {
        return reader.tables();
    }

    @GetMapping(path = "/tables/{table}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Describe a table", description = "Key names, creation time and the number of items")
    @ApiResponse(responseCode = "200", description = "The table")
    @ApiResponse(responseCode = "404", description = "ResourceNotFoundException: no such table",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    TableDescription describe(@PathVariable @Parameter(description = "table name") String table) {
        return reader.describe(table);
    }
}
