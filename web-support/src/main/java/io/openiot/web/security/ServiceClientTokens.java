package io.openiot.web.security;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

/**
 * This service's own client-credentials token for policy-service's internal endpoints, obtained through Spring
 * Security's OAuth2 client and kept until shortly (one minute) before it expires.
 */
final class ServiceClientTokens {

    private static final String REGISTRATION = "iot-service-client";

    private final AuthorizedClientServiceOAuth2AuthorizedClientManager manager;
    private final AnonymousAuthenticationToken principal = new AnonymousAuthenticationToken("iot-service",
            "iot-service", AuthorityUtils.createAuthorityList("ROLE_SERVICE"));

    ServiceClientTokens(String tokenUri, IotSecurityProperties.ServiceClient client) {
        ClientRegistration registration = ClientRegistration.withRegistrationId(REGISTRATION)
                .tokenUri(tokenUri)
                .clientId(client.id())
                .clientSecret(client.secret())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope("iot:internal")
                .build();
        var registrations = new InMemoryClientRegistrationRepository(registration);
        manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations,
                new InMemoryOAuth2AuthorizedClientService(registrations));
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder().clientCredentials().build());
    }

    String accessToken() {
        OAuth2AuthorizedClient authorized = manager.authorize(
                OAuth2AuthorizeRequest.withClientRegistrationId(REGISTRATION).principal(principal).build());
        if (authorized == null) {
            throw new IllegalStateException("no token for the service client");
        }
        return authorized.getAccessToken().getTokenValue();
    }
}
