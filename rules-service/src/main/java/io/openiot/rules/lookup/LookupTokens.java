package io.openiot.rules.lookup;

import java.net.http.HttpClient;
import java.time.Duration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.web.client.RestClient;

/**
 * The lookups' bearer token: a client-credentials token of the configured client, through Spring Security's OAuth2
 * client, kept until shortly before it expires (the manager's clock skew) and asked for with the lookups' timeout.
 */
final class LookupTokens {

    private static final String REGISTRATION = "iot-rules-functions";

    private final AuthorizedClientServiceOAuth2AuthorizedClientManager manager;
    private final InMemoryOAuth2AuthorizedClientService authorized;
    private final AnonymousAuthenticationToken principal = new AnonymousAuthenticationToken("rules-functions",
            "rules-functions", AuthorityUtils.createAuthorityList("ROLE_SERVICE"));

    LookupTokens(String tokenUri, String clientId, String clientSecret, String scope, Duration timeout) {
        ClientRegistration registration = ClientRegistration.withRegistrationId(REGISTRATION)
                .tokenUri(tokenUri)
                .clientId(clientId)
                .clientSecret(clientSecret)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope(scope.split(" "))
                .build();
        var registrations = new InMemoryClientRegistrationRepository(registration);
        authorized = new InMemoryOAuth2AuthorizedClientService(registrations);
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(timeout).build());
        requests.setReadTimeout(timeout);
        RestClient rest = RestClient.builder()
                .requestFactory(requests)
                .messageConverters(converters -> {
                    converters.clear();
                    converters.add(new FormHttpMessageConverter());
                    converters.add(new OAuth2AccessTokenResponseHttpMessageConverter());
                })
                .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
                .build();
        RestClientClientCredentialsTokenResponseClient tokenClient = new RestClientClientCredentialsTokenResponseClient();
        tokenClient.setRestClient(rest);
        manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, authorized);
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
                .clientCredentials(credentials -> credentials.accessTokenResponseClient(tokenClient)).build());
    }

    String accessToken() {
        OAuth2AuthorizedClient client = manager.authorize(
                OAuth2AuthorizeRequest.withClientRegistrationId(REGISTRATION).principal(principal).build());
        if (client == null) {
            throw new IllegalStateException("no token for the rules functions' client");
        }
        return client.getAccessToken().getTokenValue();
    }

    /** A service refused the token (revoked, keys rotated): the next lookup asks for a new one. */
    void forget() {
        authorized.removeAuthorizedClient(REGISTRATION, principal.getName());
    }
}
