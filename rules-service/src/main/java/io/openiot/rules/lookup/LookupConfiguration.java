package io.openiot.rules.lookup;

import io.openiot.rules.sql.ExternalData;
import io.openiot.web.security.ClientCredentialsTokens;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The port of the external SQL functions, over HTTP to shadow-service and sink-service. */
@Configuration(proxyBeanMethods = false)
class LookupConfiguration {

    @Bean
    ExternalData externalData(LookupProperties properties, JsonMapper json, Clock clock,
                              @Value("${iot.security.platform-issuer-uri:}") String platformIssuerUri) {
        ClientCredentialsTokens tokens = null;
        if (properties.clientConfigured()) {
            String tokenUri = properties.tokenUri() != null ? properties.tokenUri()
                    : stripSlash(platformIssuerUri) + "/oauth2/token";
            tokens = new ClientCredentialsTokens("iot-rules-functions", tokenUri, properties.clientId(),
                    properties.clientSecret(), properties.scopes(), properties.tokenTimeout());
        }
        return new HttpExternalData(properties, tokens, json, clock);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
