package io.openiot.gateway.auth;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.web.client.RestClient;

/** Wires device authentication: the principal directory chosen by {@code iot.gateway.auth.principals}. */
@Configuration(proxyBeanMethods = false)
class AuthConfiguration {

    @Bean
    PrincipalDirectory principalDirectory(AuthProperties properties, RestClient.Builder rest,
                                          @Value("${iot.gateway.auth.policy-service-uri:http://localhost:8085}")
                                          String policyServiceUri,
                                          // the platform issuer is policy-service unless configured
                                          @Value("${iot.security.platform-issuer-uri:"
                                                  + "${iot.gateway.auth.policy-service-uri:http://localhost:8085}}")
                                          String issuerUri,
                                          @Value("${iot.security.service-client.id:platform-services}") String id,
                                          @Value("${iot.security.service-client.secret:}") String secret) {
        Clock clock = Clock.systemUTC();
        PrincipalDirectory directory = switch (properties.principals()) {
            case "static" -> new StaticPrincipalDirectory(properties);
            case "policy-service" -> new HttpPrincipalDirectory(rest, policyServiceUri, issuerUri, id, secret, clock);
            default -> throw new IllegalArgumentException(
                    "iot.gateway.auth.principals must be static or policy-service, not " + properties.principals());
        };
        return new CachingPrincipalDirectory(directory, properties.principalCacheTtl(), clock);
    }

    /** Look-ups block on HTTP: a small pool of their own, never Netty's event loops. */
    @Bean(destroyMethod = "close")
    ConnectAuthorizer connectAuthorizer(PrincipalDirectory directory, AuthProperties properties) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(8, 8, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000),
                new CustomizableThreadFactory("principal-lookup-"));
        pool.allowCoreThreadTimeOut(true);
        return new ConnectAuthorizer(directory, pool, properties);
    }

    @Bean
    LiveConnections liveConnections(ConnectAuthorizer authorizer, MeterRegistry meters) {
        return new LiveConnections(authorizer, meters);
    }

    /** The {@code securityEvents} binding ({@code gateway-service.yml}): security changes reach live connections. */
    @Bean("securityEvents")
    Consumer<byte[]> securityEvents(PrincipalDirectory directory, LiveConnections connections, MeterRegistry meters) {
        return new SecurityEventsConsumer(directory, connections, meters);
    }

    @Bean
    GatewayAuthenticator gatewayAuthenticator(AuthProperties properties, ConnectAuthorizer authorizer) {
        return new GatewayAuthenticator(properties, authorizer);
    }
}
