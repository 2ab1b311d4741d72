package io.openiot.web.security;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collection;
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
 * A service's own client-credentials token for calling another service, obtained through Spring Security's OAuth2
 * client from the platform's token endpoint and kept until shortly (the manager's clock skew, one minute) before it
 * expires. The token request gives up after the given timeout.
 */
public final class ClientCredentialsTokens {

    private final String registrationId;
    private final AuthorizedClientServiceOAuth2AuthorizedClientManager manager;
    private final InMemoryOAuth2AuthorizedClientService authorized;
    private final AnonymousAuthenticationToken principal;

    public ClientCredentialsTokens(String registrationId, String tokenUri, String clientId, String clientSecret,
                                   Collection<String> scopes, Duration timeout) {
        this.registrationId = registrationId;
        this.principal = new AnonymousAuthenticationToken(registrationId, registrationId,
                AuthorityUtils.createAuthorityList("ROLE_SERVICE"));
        ClientRegistration registration = ClientRegistration.withRegistrationId(registrationId)
                .tokenUri(tokenUri)
                .clientId(clientId)
                .clientSecret(clientSecret)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope(scopes)
                .build();
        var registrations = new InMemoryClientRegistrationRepository(registration);
        authorized = new InMemoryOAuth2AuthorizedClientService(registrations);
        RestClientClientCredentialsTokenResponseClient tokenClient = new RestClientClientCredentialsTokenResponseClient();
        tokenClient.setRestClient(tokenEndpointClient(timeout));
        manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, authorized);
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
                .clientCredentials(credentials -> credentials.accessTokenResponseClient(tokenClient)).build());
    }

    /** The converters and error handler Spring Security's own token client uses, on a client with a timeout. */
    private static RestClient tokenEndpointClient(Duration timeout) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(timeout).build());
        requests.setReadTimeout(timeout);
        return RestClient.builder()
                .requestFactory(requests)
                .messageConverters(converters -> {
                    converters.clear();
                    converters.add(new FormHttpMessageConverter());
                    converters.add(new OAuth2AccessTokenResponseHttpMessageConverter());
                })
                .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
                .build();
    }

    /** The current token, asked for when there is none or it is about to expire. */
    public String accessToken() {
        OAuth2AuthorizedClient client = manager.authorize(
                OAuth2AuthorizeRequest.withClientRegistrationId(registrationId).principal(principal).build());
        if (client == null) {
            throw new IllegalStateException("no token for the client of " + registrationId);
        }
        return client.getAccessToken().getTokenValue();
    }

    /** A service refused the token (revoked, keys rotated): the next call asks for a new one. */
    public void forget() {
        authorized.removeAuthorizedClient(registrationId, principal.getName());
    }
}
