package io.openiot.gateway.http;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * AWS clients send the topic of {@code POST /topics/{topic}} with its slashes encoded as %2F, which Tomcat refuses by
 * default. Passing them through leaves decoding to Spring's path matching, which keeps the topic one path variable.
 */
@Configuration(proxyBeanMethods = false)
class EncodedSlashConfiguration {

    @Bean
    TomcatConnectorCustomizer encodedSlashesPassThrough() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }
}
