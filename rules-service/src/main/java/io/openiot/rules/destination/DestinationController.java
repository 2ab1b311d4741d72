package io.openiot.rules.destination;

import io.openiot.rules.destination.DestinationExceptions.InvalidDestinationRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.time.Instant;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * AWS IoT CreateTopicRuleDestination, ConfirmTopicRuleDestination, UpdateTopicRuleDestination,
 * GetTopicRuleDestination, ListTopicRuleDestinations and DeleteTopicRuleDestination, for HTTP destinations.
 */
@RestController
@Tag(name = "Destinations", description = "HTTP topic rule destinations: where http actions may send")
class DestinationController {

    private static final String CREATE_EXAMPLE = """
            {"destinationConfiguration": {"httpUrlConfiguration": {"confirmationUrl": "https://example.com/iot"}}}""";

    private final DestinationService destinations;
    private final JsonMapper json;

    DestinationController(DestinationService destinations, JsonMapper json) {
        this.destinations = destinations;
        this.json = json;
    }

    @PostMapping(path = "/destinations", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create an HTTP topic rule destination (CreateTopicRuleDestination)",
            description = "Created IN_PROGRESS; a confirmation request (arn, confirmationToken, enableUrl, "
                    + "messageType DestinationConfirmation) is POSTed to the confirmation URL.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    examples = @ExampleObject(name = "https endpoint", value = CREATE_EXAMPLE))))
    @ApiResponse(responseCode = "200", description = "{\"topicRuleDestination\": {...}}")
    @ApiResponse(responseCode = "400", description = "InvalidRequestException")
    @ApiResponse(responseCode = "409", description = "ResourceAlreadyExistsException: one exists for that URL")
    ObjectNode create(@RequestBody(required = false) byte[] body) {
        JsonNode configuration = read(body).path("destinationConfiguration");
        if (configuration.has("vpcConfiguration")) {
            throw new InvalidDestinationRequestException("VPC destinations are not supported");
        }
        JsonNode url = configuration.path("httpUrlConfiguration").path("confirmationUrl");
        if (!url.isString() || url.stringValue().isEmpty()) {
            throw new InvalidDestinationRequestException(
                    "destinationConfiguration.httpUrlConfiguration.confirmationUrl is required");
        }
        Destination created = destinations.create(url.stringValue(), baseUrl());
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("topicRuleDestination", view(created));
        return response;
    }

    @RequestMapping(path = "/confirmdestination/{*token}", method = {RequestMethod.GET, RequestMethod.POST},
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Confirm a destination with the token sent to it (ConfirmTopicRuleDestination)",
            description = "The AWS SDK sends GET; POST is accepted too. The destination becomes ENABLED.")
    @ApiResponse(responseCode = "200", description = "{}")
    @ApiResponse(responseCode = "400", description = "InvalidRequestException: unknown token")
    ObjectNode confirm(@PathVariable String token) {
        destinations.confirm(strip(token));
        return JsonNodeFactory.instance.objectNode();
    }

    @PatchMapping(path = "/destinations", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Enable, disable or re-challenge a destination (UpdateTopicRuleDestination)",
            description = "Body {\"arn\", \"status\"}: ENABLED or DISABLED (confirmed destinations only), "
                    + "IN_PROGRESS (sends a new confirmation request with a new token).")
    @ApiResponse(responseCode = "200", description = "{}")
    @ApiResponse(responseCode = "400", description = "InvalidRequestException")
    @ApiResponse(responseCode = "404", description = "ResourceNotFoundException")
    ObjectNode update(@RequestBody(required = false) byte[] body) {
        JsonNode request = read(body);
        JsonNode arn = request.path("arn");
        if (!arn.isString() || arn.stringValue().isEmpty()) {
            throw new InvalidDestinationRequestException("arn is required");
        }
        JsonNode status = request.path("status");
        destinations.update(arn.stringValue(), status.isString() ? status.stringValue() : null, baseUrl());
        return JsonNodeFactory.instance.objectNode();
    }

    @GetMapping(path = "/destinations", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List destinations (ListTopicRuleDestinations)")
    @ApiResponse(responseCode = "200", description = "{\"destinationSummaries\": [...], \"nextToken\"?}")
    ObjectNode list(@RequestParam(required = false) Integer maxResults,
                    @RequestParam(required = false) String nextToken) {
        DestinationService.Page page = destinations.list(nextToken, maxResults);
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode summaries = response.putArray("destinationSummaries");
        for (Destination destination : page.destinations()) {
            ObjectNode summary = common(destination);
            summary.putObject("httpUrlSummary").put("confirmationUrl", destination.confirmationUrl());
            summaries.add(summary);
        }
        if (page.nextToken() != null) {
            response.put("nextToken", page.nextToken());
        }
        return response;
    }

    @GetMapping(path = "/destinations/{*arn}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Get a destination (GetTopicRuleDestination)")
    @ApiResponse(responseCode = "200", description = "{\"topicRuleDestination\": {...}}")
    @ApiResponse(responseCode = "404", description = "ResourceNotFoundException")
    ObjectNode get(@PathVariable String arn) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.set("topicRuleDestination", view(destinations.get(strip(arn))));
        return response;
    }

    @DeleteMapping(path = "/destinations/{*arn}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Delete a destination (DeleteTopicRuleDestination)")
    @ApiResponse(responseCode = "200", description = "{}")
    @ApiResponse(responseCode = "404", description = "ResourceNotFoundException")
    ObjectNode delete(@PathVariable String arn) {
        destinations.delete(strip(arn));
        return JsonNodeFactory.instance.objectNode();
    }

    private static ObjectNode view(Destination destination) {
        ObjectNode view = common(destination);
        view.putObject("httpUrlProperties").put("confirmationUrl", destination.confirmationUrl());
        return view;
    }

    private static ObjectNode common(Destination destination) {
        ObjectNode view = JsonNodeFactory.instance.objectNode();
        view.put("arn", destination.arn());
        view.put("status", destination.status().name());
        view.put("createdAt", epochSeconds(destination.createdAt()));
        view.put("lastUpdatedAt", epochSeconds(destination.lastUpdatedAt()));
        if (destination.statusReason() != null) {
            view.put("statusReason", destination.statusReason());
        }
        return view;
    }

    /** AWS's JSON protocol gives timestamps as epoch seconds with a fraction. */
    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
    }

    /** A {@code {*name}} capture starts with the slash before it. */
    private static String strip(String captured) {
        String value = captured.startsWith("/") ? captured.substring(1) : captured;
        if (value.isEmpty()) {
            throw new InvalidDestinationRequestException("missing path parameter");
        }
        return value;
    }

    private JsonNode read(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidDestinationRequestException("request body is required");
        }
        try {
            JsonNode node = json.readTree(body);
            if (!node.isObject()) {
                throw new InvalidDestinationRequestException("request body must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new InvalidDestinationRequestException("request body is not JSON");
        }
    }

    private static String baseUrl() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    }
}
