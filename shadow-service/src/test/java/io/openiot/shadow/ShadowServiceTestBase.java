package io.openiot.shadow;

import io.openiot.testsupport.TestInfrastructure;
import io.openiot.testsupport.TestTokenIssuer;
import io.openiot.web.testing.TestAccessKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One running shadow service (real PostgreSQL, real Kafka) shared by the feature tests: they extend this class so
 * that Spring caches one context for all of them. Each test uses thing names of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = ShadowApplication.CONFIG_NAME)
@Import({ShadowServiceTestBase.Clocks.class, TestAccessKeys.class})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ShadowServiceTestBase {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "shadow");
        TestTokenIssuer.registerAsPlatformIssuer(registry);
    }

    /** The access key the AWS SDK signs with; {@link TestAccessKeys} holds it where policy-service would. */
    public static final String ACCESS_KEY = TestAccessKeys.ACCESS_KEY;
    public static final String SECRET_KEY = TestAccessKeys.SECRET_KEY;

    /** A bearer token with every application scope, from the test's token issuer. */
    protected static String bearer() {
        return "Bearer " + TestTokenIssuer.shared().adminToken();
    }

    @LocalServerPort
    protected int port;

    /** A clock a test can move; it runs with the system clock otherwise. */
    public static final class MovableClock extends Clock {

        private volatile Duration offset = Duration.ZERO;

        public void shift(Duration by) {
            offset = by;
        }

        public void reset() {
            offset = Duration.ZERO;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {
        @Bean
        MovableClock clock() {
            return new MovableClock();
        }
    }
}
