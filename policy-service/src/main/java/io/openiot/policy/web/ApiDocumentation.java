package io.openiot.policy.web;

import io.swagger.v3.oas.models.ExternalDocumentation;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What {@code /v3/api-docs} and {@code /swagger-ui.html} say about this service before any operation. */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    @Bean
    OpenAPI policyOpenApi() {
        return new OpenAPI()
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
