package io.openiot.sink.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What {@code /v3/api-docs} and {@code /swagger-ui.html} say about this service before any operation. */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    @Bean
    OpenAPI sinkOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("OpenIoT sink API")
                        .version("0.1.0")
                        .description("""
                                Tables of JSON items that rules store through iot.sink-records, read newest first by \
                                partition key and time range with opaque nextToken pages. Errors are RFC 9457 problem \
                                details whose `code` is the AWS error name (ResourceNotFoundException, \
                                InvalidRequestException)."""));
    }
}
