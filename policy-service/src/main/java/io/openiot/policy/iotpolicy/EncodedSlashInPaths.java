package io.openiot.policy.iotpolicy;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * AWS's SDKs put an ARN into the path URL-encoded, {@code %2F} included ({@code /attached-policies/{target}}).
 * Tomcat refuses an encoded slash by default; passed through, Spring MVC matches it inside one path segment and
 * decodes the variable. (The security firewall allows it too: {@code SecurityConfiguration}.)
 */
@Configuration(proxyBeanMethods = false)
class EncodedSlashInPaths {

    @Bean
    TomcatConnectorCustomizer encodedSlashPassthrough() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }
}
