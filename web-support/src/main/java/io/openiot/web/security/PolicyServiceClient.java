package io.openiot.web.security;

import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Calls policy-service's internal endpoints ({@code iot:internal}) with the service client's token: the signing key
 * of an access key and the revocation list.
 */
final class PolicyServiceClient {

    private final RestClient http;
    private final ClientCredentialsTokens tokens;

    PolicyServiceClient(String baseUrl, ClientCredentialsTokens tokens) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(2_000);
        requests.setReadTimeout(5_000);
        this.http = RestClient.builder().baseUrl(baseUrl).requestFactory(requests).build();
        this.tokens = tokens;
    }

    Optional<SigningKey> signingKey(SigningKeyRequest request) {
        return http.post().uri("/internal/sigv4/signing-key")
                .headers(headers -> headers.setBearerAuth(tokens.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(request)
                .exchange((req, res) -> {
                    if (res.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
                        return Optional.<SigningKey>empty();
                    }
                    if (!res.getStatusCode().is2xxSuccessful()) {
                        throw new SigningKeyUnavailableException(
                                "policy-service answered " + res.getStatusCode().value(), null);
                    }
                    SigningKeyResponse response = res.bodyTo(SigningKeyResponse.class);
                    if (response == null || response.signingKey() == null) {
                        throw new SigningKeyUnavailableException("policy-service sent no signing key", null);
                    }
                    return Optional.of(new SigningKey(response.accessKeyId(), response.clientId(),
                            response.scopes() == null ? Set.of() : response.scopes(),
                            Base64.getDecoder().decode(response.signingKey())));
                });
    }

    Revocations revocations() {
        return http.get().uri("/internal/revocations")
                .headers(headers -> headers.setBearerAuth(tokens.accessToken()))
                .retrieve()
                .body(Revocations.class);
    }

    record SigningKeyResponse(String accessKeyId, String clientId, Set<String> scopes, String signingKey) {
    }
}
