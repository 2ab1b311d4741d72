package io.openiot.policy.client;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/clients")
@Tag(name = "Application clients", description = "OAuth2 clients (client-credentials grant at POST /oauth2/token). "
        + "Needs scope iot:admin.")
@SecurityRequirement(name = "bearer-jwt")
class ClientController {

    private final Clients clients;

    ClientController(Clients clients) {
        this.clients = clients;
    }

    @Schema(description = "A new application client")
    record CreateClientRequest(
            @Schema(description = "Display name", example = "dashboard") String name,
            @Schema(description = "Scopes the client may request: iot:read, iot:write, iot:admin",
                    example = "[\"iot:read\"]") List<String> scopes,
            @Schema(description = "Lifetime of its access tokens (60 s up to iot.policy.token.max-lifetime); "
                    + "default iot.policy.token.default-lifetime", example = "3600") Integer tokenLifetimeSeconds) {
    }

    record ClientView(String clientId, String name, List<String> scopes, Integer tokenLifetimeSeconds,
            Instant createdAt) {

        static ClientView of(AppClient client) {
            return new ClientView(client.clientId(), client.name(), client.scopes(), client.tokenLifetimeSeconds(),
                    client.createdAt());
        }
    }

    @Schema(description = "The client with its secret; the secret is shown only in this answer")
    record CreatedClient(String clientId, String clientSecret, String name, List<String> scopes,
            Integer tokenLifetimeSeconds, Instant createdAt) {
    }

    @Schema(description = "The client's new secret; the old one no longer works")
    record RotatedSecret(String clientId, String clientSecret) {
    }

    record ClientList(List<ClientView> clients) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an application client", description = "Returns the client id and secret once; only "
            + "a hash of the secret is stored.")
    @ApiResponse(responseCode = "201", description = "Created")
    @ApiResponse(responseCode = "400", description = "Missing name, unknown scope or lifetime out of range")
    CreatedClient create(@RequestBody CreateClientRequest request) {
        Clients.ClientWithSecret created = clients.create(request.name(), request.scopes(),
                request.tokenLifetimeSeconds());
        AppClient client = created.client();
        return new CreatedClient(client.clientId(), created.secret(), client.name(), client.scopes(),
                client.tokenLifetimeSeconds(), client.createdAt());
    }

    @GetMapping
    @Operation(summary = "List the active application clients")
    @ApiResponse(responseCode = "200", description = "The clients, oldest first, without secrets")
    ClientList list() {
        return new ClientList(clients.list().stream().map(ClientView::of).toList());
    }

    @GetMapping("/{clientId}")
    @Operation(summary = "Describe an application client")
    @ApiResponse(responseCode = "200", description = "The client, without its secret")
    @ApiResponse(responseCode = "404", description = "Unknown or revoked client")
    ClientView get(@PathVariable String clientId) {
        return ClientView.of(clients.get(clientId));
    }

    @PostMapping("/{clientId}/secret")
    @Operation(summary = "Rotate a client's secret", description = "The old secret stops working at once; tokens "
            + "already issued stay valid until they expire.")
    @ApiResponse(responseCode = "200", description = "The new secret, shown once")
    @ApiResponse(responseCode = "404", description = "Unknown or revoked client")
    RotatedSecret rotateSecret(@PathVariable String clientId) {
        return new RotatedSecret(clientId, clients.rotateSecret(clientId));
    }

    @DeleteMapping("/{clientId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke an application client", description = "Token requests fail at once; its tokens and "
            + "access keys are refused by every service within 60 s (GET /internal/revocations).")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ApiResponse(responseCode = "404", description = "Unknown or already revoked client")
    void revoke(@PathVariable String clientId) {
        clients.revoke(clientId);
    }
}
