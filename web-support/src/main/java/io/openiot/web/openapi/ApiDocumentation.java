package io.openiot.web.openapi;

import io.openiot.web.WebProperties;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.ExternalDocumentation;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What {@code /v3/api-docs} and {@code /swagger-ui.html} say about a service before any operation: its title and
 * description from {@code iot.web.api.*}, and the two ways to authenticate (bearer JWT, AWS SigV4).
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocumentation {

    public static final String BEARER = "bearer-jwt";
    public static final String SIGV4 = "aws-sigv4";

    @Bean
    @ConditionalOnMissingBean(OpenAPI.class)
    OpenAPI iotOpenApi(WebProperties properties) {
        WebProperties.Api api = properties.api();
        OpenAPI openApi = new OpenAPI().info(new Info().title(api.title()).version(api.version())
                .description(api.description()));
        if (api.externalDocsUrl() != null) {
            openApi.externalDocs(new ExternalDocumentation().url(api.externalDocsUrl())
                    .description(api.externalDocsDescription()));
        }
        return openApi;
    }

    @Bean
    OpenApiCustomizer iotSecuritySchemes() {
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents()
                    .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                            .bearerFormat("JWT")
                            .description("An OAuth2 access token (client credentials at policy-service's "
                                    + "POST /oauth2/token, or from a trusted OIDC issuer); scopes iot:read, "
                                    + "iot:write, iot:admin"))
                    .addSecuritySchemes(SIGV4, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                            .in(SecurityScheme.In.HEADER).name("Authorization")
                            .description("AWS Signature Version 4 (AWS4-HMAC-SHA256) with an access key of a "
                                    + "client, as the AWS CLI and SDKs sign; the presigned query form works too"));
            openApi.addSecurityItem(new SecurityRequirement().addList(BEARER));
            openApi.addSecurityItem(new SecurityRequirement().addList(SIGV4));
        };
    }
}
