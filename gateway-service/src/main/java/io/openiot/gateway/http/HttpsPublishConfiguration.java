package io.openiot.gateway.http;

import io.openiot.gateway.auth.ConnectAuthorizer;
import io.openiot.gateway.mqtt.MqttProperties;
import io.openiot.web.security.IotSecurityAutoConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.catalina.connector.Connector;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.tomcat.SslConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * HTTPS publish with client certificates on its own port (AWS IoT: {@code https://endpoint:8443/topics/{topic}}): a
 * second Tomcat connector with the MQTT TLS listener's server certificate and trusted CAs, a client certificate
 * required (TLS 1.2 and 1.3), and a security chain of its own in front of the REST port's, which admits only
 * certificates the platform knows as ACTIVE.
 */
@Configuration(proxyBeanMethods = false)
class HttpsPublishConfiguration {

    @Bean
    HttpsPublishConnector httpsPublishConnector(HttpsPublishProperties https, MqttProperties mqtt) {
        if (!https.enabled() || !mqtt.tls().enabled()) {
            return new HttpsPublishConnector(Optional.empty());
        }
        Connector connector = new Connector(TomcatWebServerFactory.DEFAULT_PROTOCOL);
        connector.setPort(https.port());
        // aws iot-data publish and curl users send the topic's slashes as %2F, as on the REST port
        connector.setEncodedSolidusHandling("passthrough");
        new SslConnectorCustomizer(LogFactory.getLog(HttpsPublishConfiguration.class), connector,
                Ssl.ClientAuth.NEED).customize(sslBundle(mqtt.tls()), Map.of());
        return new HttpsPublishConnector(Optional.of(connector));
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> httpsPublishPort(HttpsPublishConnector https) {
        return factory -> https.connector().ifPresent(factory::addAdditionalConnectors);
    }

    /** Before the REST port's chain: requests on the HTTPS port never meet bearer tokens or SigV4. */
    @Bean
    @Order(IotSecurityAutoConfiguration.FILTER_CHAIN_ORDER - 10)
    SecurityFilterChain httpsPublishSecurityFilterChain(HttpSecurity http, HttpsPublishConnector https,
                                                        ConnectAuthorizer authorizer) throws Exception {
        http.securityMatcher(https::serves)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .anonymous(anonymous -> anonymous.disable())
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .addFilterBefore(new CertificateAuthenticationFilter(authorizer), AuthorizationFilter.class);
        return http.build();
    }

    private static SslBundle sslBundle(MqttProperties.Tls tls) {
        StringBuilder trusted = new StringBuilder();
        tls.trustedCertificates().forEach(file -> trusted.append(read(file)).append('\n'));
        if (trusted.isEmpty()) {
            throw new IllegalStateException("iot.gateway.mqtt.tls.trusted-certificates is empty: no client "
                    + "certificate could publish over HTTPS");
        }
        PemSslStoreDetails keyStore = PemSslStoreDetails.forCertificates(read(tls.serverCertificate()))
                .withPrivateKey(read(tls.serverKey()));
        PemSslStoreDetails trustStore = PemSslStoreDetails.forCertificates(trusted.toString());
        return SslBundle.of(new PemSslStoreBundle(keyStore, trustStore), null,
                SslOptions.of(null, new String[] {"TLSv1.3", "TLSv1.2"}));
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
