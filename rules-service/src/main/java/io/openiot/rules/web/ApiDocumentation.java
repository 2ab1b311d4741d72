package io.openiot.rules.web;

import io.swagger.v3.oas.models.ExternalDocumentation;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What {@code /v3/api-docs} and {@code /swagger-ui.html} say about this service before any operation. */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    @Bean
    OpenAPI rulesOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("OpenIoT rules API")
                        .version("0.1.0")
                        .description("""
                                Topic rules with the paths and JSON shapes of the AWS IoT control plane \
                                (POST /rules/{ruleName}, GET /rules, ...): AWS IoT SQL over the messages on the bus, \
                                and the actions it triggers. Errors are RFC 9457 problem details whose `code` is the \
                                AWS error name; SQL errors carry `line` and `column`."""))
                .externalDocs(new ExternalDocumentation()
                        .description("AWS IoT rules, the behaviour this API follows")
                        .url("https://docs.aws.amazon.com/iot/latest/developerguide/iot-rules.html"));
    }
}
