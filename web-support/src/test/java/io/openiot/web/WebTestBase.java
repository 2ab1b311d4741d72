package io.openiot.web;

import io.openiot.testsupport.ServiceEndpoints;
import io.openiot.testsupport.TestTokenIssuer;
import io.openiot.web.testapp.WebTestApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The test app over real HTTP on a random port, trusting the shared test issuer as its platform issuer and a second,
 * independent issuer whose {@code roles} claim maps onto our scopes. All test classes share this one context.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"iot.web.max-request-body-size=64KB", "iot.security.revocation-poll-interval=200ms",
                "iot.security.allow-encoded-slash=true", "iot.web.api.title=OpenIoT test API"})
public abstract class WebTestBase {

    /** An identity provider of the organisation's own, trusted beside the platform issuer. */
    protected static final TestTokenIssuer EXTERNAL = TestTokenIssuer.start();
    protected static final String UNREACHABLE_ISSUER = "http://127.0.0.1:1/unreachable";

    @DynamicPropertySource
    static void security(DynamicPropertyRegistry registry) {
        TestTokenIssuer.registerAsPlatformIssuer(registry);
        EXTERNAL.registerAsTrustedIssuer(registry, 0);
        registry.add("iot.security.trusted-issuers[0].scope-claim", () -> "roles");
        registry.add("iot.security.trusted-issuers[0].scope-mapping[iot-readers]", () -> "iot:read");
        registry.add("iot.security.trusted-issuers[0].scope-mapping[iot-operators]", () -> "iot:write");
        registry.add("iot.security.trusted-issuers[0].scope-mapping[root]", () -> "iot:internal");
        // an issuer whose keys cannot be fetched (nothing listens on port 1)
        registry.add("iot.security.trusted-issuers[1].issuer-uri", () -> UNREACHABLE_ISSUER);
        registry.add("iot.security.trusted-issuers[1].jwk-set-uri", () -> UNREACHABLE_ISSUER + "/jwks");
    }

    @LocalServerPort
    protected int port;

    protected static TestTokenIssuer platform() {
        return TestTokenIssuer.shared();
    }

    protected RestClient client(String token) {
        return ServiceEndpoints.client(port, token);
    }

    protected String baseUrl() {
        return "http://localhost:" + port;
    }
}
