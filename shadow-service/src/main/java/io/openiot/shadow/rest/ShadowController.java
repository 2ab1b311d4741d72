package io.openiot.shadow.rest;

import io.openiot.shadow.document.ShadowJson;
import io.openiot.shadow.document.ShadowName;
import io.openiot.shadow.document.ShadowRejection;
import io.openiot.shadow.store.ShadowService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The AWS IoT data-plane shadow API ({@code GetThingShadow}, {@code UpdateThingShadow}, {@code DeleteThingShadow},
 * {@code ListNamedShadowsForThing}) on AWS's paths, and the version history, which AWS does not have.
 */
@RestController
@Tag(name = "shadows", description = "Classic and named device shadows (AWS IoT data plane)")
class ShadowController {

    private static final int DEFAULT_PAGE = 25;
    private static final int MAX_PAGE = 100;

    private final ShadowService shadows;
    private final Clock clock;

    ShadowController(ShadowService shadows, Clock clock) {
        this.shadows = shadows;
        this.clock = clock;
    }

    @GetMapping(path = "/things/{thingName}/shadow", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "GetThingShadow: the shadow document with its delta; with version=N, the document as it "
            + "was at version N (from the history)")
    @ApiResponse(responseCode = "200", description = "the shadow document")
    @ApiResponse(responseCode = "404", description = "No shadow exists with name: '…' (ResourceNotFoundException)",
            content = @Content(mediaType = "application/problem+json"))
    ResponseEntity<byte[]> get(@PathVariable String thingName,
                               @Parameter(description = "named shadow; absent for the classic shadow")
                               @RequestParam(required = false) String name,
                               @Parameter(description = "a kept version (OpenIoT extension)")
                               @RequestParam(required = false) Long version) {
        ShadowName shadow = call(() -> new ShadowName(thingName, name));
        ObjectNode document = call(() -> version == null ? shadows.get(shadow, null)
                : shadows.getVersion(shadow, version));
        return json(document);
    }

    @PostMapping(path = "/things/{thingName}/shadow", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "UpdateThingShadow: merges the request document ({\"state\":{\"desired\"|\"reported\"},"
            + "\"clientToken\"?,\"version\"?}) and answers with the update/accepted document; update/accepted, "
            + "update/delta and update/documents are published over MQTT as for a device's update")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(type = "object", example = "{\"state\":{\"desired\":{\"color\":\"RED\"}}}")))
    @ApiResponse(responseCode = "200", description = "the update/accepted document")
    @ApiResponse(responseCode = "400", description = "AWS's validation messages (InvalidRequestException)",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "409", description = "Version conflict (ConflictException)",
            content = @Content(mediaType = "application/problem+json"))
    @ApiResponse(responseCode = "413", description = "state over the size limit (RequestEntityTooLargeException)",
            content = @Content(mediaType = "application/problem+json"))
    ResponseEntity<byte[]> update(@PathVariable String thingName, @RequestParam(required = false) String name,
                                  @RequestBody(required = false) byte[] body) {
        ShadowName shadow = call(() -> new ShadowName(thingName, name));
        return json(call(() -> shadows.update(shadow, body == null ? new byte[0] : body)));
    }

    @DeleteMapping(path = "/things/{thingName}/shadow", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "DeleteThingShadow: answers {\"version\",\"timestamp\"} and publishes delete/accepted; a "
            + "shadow created again later continues the version count")
    @ApiResponse(responseCode = "200", description = "the delete/accepted document")
    @ApiResponse(responseCode = "404", description = "No shadow exists with name: '…' (ResourceNotFoundException)",
            content = @Content(mediaType = "application/problem+json"))
    ResponseEntity<byte[]> delete(@PathVariable String thingName, @RequestParam(required = false) String name) {
        ShadowName shadow = call(() -> new ShadowName(thingName, name));
        return json(call(() -> shadows.delete(shadow)));
    }

    @GetMapping(path = "/api/things/shadow/ListNamedShadowsForThing/{thingName}",
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "ListNamedShadowsForThing: {\"results\":[names],\"nextToken\"?,\"timestamp\"}, names in "
            + "order")
    ResponseEntity<byte[]> list(@PathVariable String thingName,
                                @Parameter(description = "1 to 100, default 25")
                                @RequestParam(required = false) Integer pageSize,
                                @RequestParam(required = false) String nextToken) {
        int size = pageSize(pageSize);
        String after = nextToken == null ? null : decode(nextToken);
        ShadowService.NamePage page = call(() -> shadows.namedShadows(thingName, after, size));
        ObjectNode body = ShadowJson.newObject();
        ArrayNode results = body.putArray("results");
        page.names().forEach(results::add);
        if (page.lastName() != null) {
            body.put("nextToken", encode(page.lastName()));
        }
        body.put("timestamp", clock.instant().getEpochSecond());
        return json(body);
    }

    @GetMapping(path = "/things/{thingName}/shadow/history", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The kept versions of a shadow, oldest first: {\"versions\":[{\"state\",\"metadata\","
            + "\"version\",\"timestamp\"}],\"nextToken\"?} (OpenIoT extension)")
    ResponseEntity<byte[]> history(@PathVariable String thingName, @RequestParam(required = false) String name,
                                   @RequestParam(required = false) Long fromVersion,
                                   @RequestParam(required = false) Long toVersion,
                                   @Parameter(description = "1 to 100, default 25")
                                   @RequestParam(required = false) Integer limit,
                                   @RequestParam(required = false) String nextToken) {
        ShadowName shadow = call(() -> new ShadowName(thingName, name));
        int size = pageSize(limit);
        long after = 0;
        if (nextToken != null) {
            try {
                after = Long.parseLong(decode(nextToken));
            } catch (NumberFormatException e) {
                throw ShadowApiException.invalid("Invalid nextToken");
            }
        }
        long from = fromVersion == null ? 1 : fromVersion;
        long to = toVersion == null ? Long.MAX_VALUE : toVersion;
        long continueAfter = after;
        ShadowService.VersionPage page = call(() -> shadows.history(shadow, from, to, continueAfter, size));
        ObjectNode body = ShadowJson.newObject();
        ArrayNode versions = body.putArray("versions");
        page.versions().forEach(versions::add);
        if (page.lastVersion() != null) {
            body.put("nextToken", encode(Long.toString(page.lastVersion())));
        }
        return json(body);
    }

    private static int pageSize(Integer requested) {
        if (requested == null) {
            return DEFAULT_PAGE;
        }
        if (requested < 1 || requested > MAX_PAGE) {
            throw ShadowApiException.invalid("pageSize must be between 1 and " + MAX_PAGE);
        }
        return requested;
    }

    private static String encode(String token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ShadowApiException.invalid("Invalid nextToken");
        }
    }

    /** Shadow documents as the bytes the domain wrote, so numbers and member order stay exactly as stored. */
    private static ResponseEntity<byte[]> json(ObjectNode document) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(ShadowJson.bytes(document));
    }

    private static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (ShadowRejection e) {
            throw ShadowApiException.of(e);
        }
    }
}
