package io.openiot.registry.web;

import io.swagger.v3.oas.models.ExternalDocumentation;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What {@code /v3/api-docs} and {@code /swagger-ui.html} say about this service before any operation. */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    @Bean
    OpenAPI registryOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("OpenIoT registry API")
                        .version("0.1.0")
                        .description("""
                                Things, thing types, thing groups and thing-principal attachments, with the paths and \
                                JSON field names of the AWS IoT control plane (POST /things/{thingName}, GET /things, \
                                ...). Errors are RFC 9457 problem details whose `code` is the AWS error name, \
                                with `message` and the `x-amzn-ErrorType` header as AWS SDKs expect."""))
                .externalDocs(new ExternalDocumentation()
                        .description("AWS IoT API reference, the behaviour this API follows")
                        .url("https://docs.aws.amazon.com/iot/latest/apireference/"));
    }
}
