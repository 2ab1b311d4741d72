package io.openiot.gateway.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * Asks policy-service {@code GET /internal/principals/{certificateId}} with the platform service client's token
 * (client credentials, scope {@code iot:internal}, from {@code {issuer}/oauth2/token}); the token is reused until
 * shortly before it expires and fetched again after a 401.
 */
final class HttpPrincipalDirectory implements PrincipalDirectory {

    private final RestClient policyService;
    private final RestClient issuer;
    private final String clientId;
    private final String clientSecret;
    private final Clock clock;
    private volatile Token token;

    private record Token(String value, Instant expires) {
    }

    HttpPrincipalDirectory(RestClient.Builder builder, String policyServiceUri, String issuerUri, String clientId,
                           String clientSecret, Clock clock) {
        this.policyService = builder.clone().baseUrl(policyServiceUri).build();
        this.issuer = builder.clone().baseUrl(issuerUri).build();
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
    }

    @Override
    public Optional<Principal> find(String certificateId) {
        try {
            return Optional.ofNullable(get(certificateId, token()));
        } catch (HttpClientErrorException.NotFound e) {
            return Optional.empty();
        } catch (HttpClientErrorException.Unauthorized e) {
            token = null; // revoked or rotated signing key: one fresh token, one retry
            try {
                return Optional.ofNullable(get(certificateId, token()));
            } catch (HttpClientErrorException.NotFound notFound) {
                return Optional.empty();
            }
        }
    }

    private Principal get(String certificateId, String bearer) {
        return policyService.get().uri("/internal/principals/{id}", certificateId)
                .headers(h -> h.setBearerAuth(bearer))
                .retrieve().body(Principal.class);
    }

    private String token() {
        Token current = token;
        Instant now = clock.instant();
        if (current != null && now.isBefore(current.expires())) {
            return current.value();
        }
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "client_credentials");
        form.add("scope", "iot:internal");
        JsonNode answer = issuer.post().uri("/oauth2/token")
                .headers(h -> h.setBasicAuth(clientId, clientSecret))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(form)
                .retrieve()
                .onStatus(s -> s.value() != HttpStatus.OK.value(), (request, response) -> {
                    throw new IllegalStateException("Token endpoint answered " + response.getStatusCode());
                })
                .body(JsonNode.class);
        String value = answer.path("access_token").asString();
        long lifetime = answer.path("expires_in").asLong(60);
        // renew a little early, so no request leaves with a token about to expire
        token = new Token(value, now.plusSeconds(Math.max(1, lifetime - 30)));
        return value;
    }
}
