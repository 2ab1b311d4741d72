package io.openiot.shadow.web;

import io.swagger.v3.oas.models.ExternalDocumentation;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What {@code /v3/api-docs} and {@code /swagger-ui.html} say about this service before any operation. */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    @Bean
    OpenAPI shadowOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("OpenIoT device shadow API")
                        .version("0.1.0")
                        .description("""
                                Classic and named device shadows over REST with the AWS IoT data-plane paths \
                                (GET/POST/DELETE /things/{thingName}/shadow?name=, \
                                GET /api/things/shadow/ListNamedShadowsForThing/{thingName}). Devices reach the \
                                same shadows over MQTT on $aws/things/{thingName}/shadow/... through the gateway. \
                                Errors are RFC 9457 problem details whose `code` is the AWS error name."""))
                .externalDocs(new ExternalDocumentation()
                        .description("AWS IoT Device Shadow service, the behaviour this API follows")
                        .url("https://docs.aws.amazon.com/iot/latest/developerguide/iot-device-shadows.html"));
    }
}
