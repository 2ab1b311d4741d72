package io.openiot.rules.destination;

import java.net.http.HttpClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The JDK HTTP client that sends confirmation requests and {@code http} actions. */
@Configuration(proxyBeanMethods = false)
class DestinationHttpConfiguration {

    @Bean
    HttpClient destinationHttpClient(DestinationProperties properties) {
        // HTTP/1.1: endpoints behind plain http would otherwise get an h2c upgrade attempt on every connection
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }
}
