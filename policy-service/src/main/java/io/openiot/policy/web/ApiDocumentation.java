package io.openiot.policy.web;

import io.swagger.v3.oas.models.ExternalDocumentation;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What {@code /v3/api-docs} and {@code /swagger-ui.html} say about this service before any operation. */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    @Bean
    OpenAPI policyOpenApi() {
        return new OpenAPI()
                .components(new Components()
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").bearerFormat("JWT")
                                .description("Access token from POST /oauth2/token (client credentials)"))
                        .addSecuritySchemes("oauth2", new SecurityScheme().type(SecurityScheme.Type.OAUTH2)
                                .flows(new OAuthFlows().clientCredentials(new OAuthFlow().tokenUrl("/oauth2/token")
                                        .scopes(new Scopes()
                                                .addString("iot:read", "read")
                                                .addString("iot:write", "read and write")
                                                .addString("iot:admin", "clients, access keys, signing keys")
                                                .addString("iot:internal", "the platform's services"))))))
                .info(new Info()
                        .title("OpenIoT security API")
                        .version("0.1.0")
                        .description("""
                                CA and device certificates (POST /keys-and-certificate, POST /certificate/register, \
                                PUT /certificates/{certificateId}), IoT policies and their versions \
                                (POST /policies/{policyName}), policy attachments (PUT /target-policies/{policyName}) \
                                and application clients that obtain OAuth2 bearer tokens, with the AWS IoT \
                                control-plane paths and field names. Errors are RFC 9457 problem details whose `code` \
                                is the AWS error name."""))
                .externalDocs(new ExternalDocumentation()
                        .description("AWS IoT API reference, the behaviour this API follows")
                        .url("https://docs.aws.amazon.com/iot/latest/apireference/"));
    }
}
