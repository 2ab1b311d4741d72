package io.openiot.sink.item;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Tables", description = "Sink tables and their key schemas")
class TableController {

    private final ItemReader reader;
    private final TableAdministration administration;

    TableController(ItemReader reader, TableAdministration administration) {
        this.reader = reader;
        this.administration = administration;
    }

    @PostMapping(path = "/tables", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a table", description = "A table with its key schema: a partition key and an "
            + "optional sort key, each a name and a type (S, N or B), and optional time and TTL attributes and "
            + "retention")
    @ApiResponse(responseCode = "201", description = "The table")
    @ApiResponse(responseCode = "400", description = "InvalidRequestException: the key schema cannot be used",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "ResourceInUseException: the table exists",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    TableDescription create(@RequestBody CreateTableRequest request) {
        return administration.create(request);
    }

    @DeleteMapping(path = "/tables/{table}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a table", description = "Deletes the table and all its items")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "ResourceNotFoundException: no such table",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    void delete(@PathVariable @Parameter(description = "table name") String table) {
        administration.delete(table);
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
