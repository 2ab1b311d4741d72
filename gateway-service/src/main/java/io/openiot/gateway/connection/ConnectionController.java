package io.openiot.gateway.connection;

import io.openiot.gateway.InvalidRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Connections", description = "Connection state of MQTT clients (AWS IoT data plane)")
class ConnectionController {

    private static final int MAX_CLIENT_ID_LENGTH = 128;

    private final ConnectionRepository repository;

    ConnectionController(ConnectionRepository repository) {
        this.repository = repository;
    }

    @GetMapping("/connections/{clientId}")
    @Operation(summary = "Describe the connection of an MQTT client", description = "As AWS GetConnection.")
    @ApiResponse(responseCode = "200", description = "The client's current or last connection")
    @ApiResponse(responseCode = "400", description = "InvalidRequestException: client id empty, too long or starting with $",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "ResourceNotFoundException: the client never connected",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    ConnectionView getConnection(@Parameter(description = "MQTT client id, URL-encoded") @PathVariable String clientId) {
        if (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID_LENGTH || clientId.startsWith("$")) {
            throw new InvalidRequestException("clientId must have 1 to 128 characters and must not start with $");
        }
        return repository.find(clientId).map(ConnectionView::of)
                .orElseThrow(() -> new ConnectionNotFoundException(clientId));
    }
}
