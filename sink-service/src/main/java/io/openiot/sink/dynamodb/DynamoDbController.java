package io.openiot.sink.dynamodb;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * DynamoDB's JSON protocol on the sink's port: {@code POST /} with {@code X-Amz-Target: DynamoDB_20120810.<Op>},
 * so that the AWS SDKs' DynamoDB clients work with {@code endpointOverride}. Errors are DynamoDB's error JSON
 * ({@code __type}, {@code message}), status 400 as DynamoDB answers client errors.
 */
@RestController
@Tag(name = "DynamoDB", description = "DynamoDB JSON protocol (X-Amz-Target: DynamoDB_20120810.<Operation>)")
class DynamoDbController {

    static final String TARGET_PREFIX = "DynamoDB_20120810.";
    static final MediaType AMZ_JSON = MediaType.parseMediaType("application/x-amz-json-1.0");

    private static final Logger log = LoggerFactory.getLogger(DynamoDbController.class);

    private final DynamoDbOperations operations;
    private final JsonMapper json;

    DynamoDbController(DynamoDbOperations operations, JsonMapper json) {
        this.operations = operations;
        this.json = json;
    }

    @PostMapping(path = "/", headers = "X-Amz-Target")
    @Operation(summary = "A DynamoDB operation", description = "CreateTable, DescribeTable, ListTables, DeleteTable, "
            + "PutItem, GetItem, DeleteItem; request and response as DynamoDB's JSON protocol")
    ResponseEntity<byte[]> handle(
            @RequestHeader("X-Amz-Target") @Parameter(description = "DynamoDB_20120810.<Operation>") String target,
            @RequestBody(required = false) byte[] body) {
        if (!target.startsWith(TARGET_PREFIX)) {
            throw new DynamoDbException.UnknownOperation(target);
        }
        JsonNode request;
        try {
            request = body == null || body.length == 0 ? JsonNodeFactory.instance.objectNode() : json.readTree(body);
        } catch (JacksonException e) {
            throw new DynamoDbException.Validation("The request body is not JSON");
        }
        if (!request.isObject()) {
            throw new DynamoDbException.Validation("The request body must be a JSON object");
        }
        ObjectNode response = operations.execute(target.substring(TARGET_PREFIX.length()), request);
        return ResponseEntity.ok().contentType(AMZ_JSON).body(json.writeValueAsBytes(response));
    }

    @ExceptionHandler(DynamoDbException.class)
    ResponseEntity<byte[]> failure(DynamoDbException e) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("__type", DynamoDbException.PREFIX + e.type());
        error.put("message", e.getMessage());
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).contentType(AMZ_JSON).body(json.writeValueAsBytes(error));
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<byte[]> unexpected(RuntimeException e) {
        log.error("DynamoDB request failed unexpectedly", e);
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("__type", DynamoDbException.PREFIX + "InternalServerError");
        error.put("message", "The request could not be processed");
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(AMZ_JSON)
                .body(json.writeValueAsBytes(error));
    }
}
