package io.openiot.web.testapp;

import io.openiot.web.security.Revocations;
import io.openiot.web.security.SigningKeys;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * policy-service's internal endpoints as the security interface fixes them, over the test app's key table: what a
 * service's default signing-key provider and revocation poller call. {@link #AVAILABLE} false answers 503, as a
 * policy-service that is down or restarting would fail.
 */
@RestController
public class InternalController {

    public static final AtomicBoolean AVAILABLE = new AtomicBoolean(true);

    record SigningKeyRequestBody(String accessKeyId, String date, String region, String service) {
    }

    @PostMapping("/internal/sigv4/signing-key")
    ResponseEntity<Map<String, Object>> signingKey(@RequestBody SigningKeyRequestBody request) {
        if (!AVAILABLE.get()) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
        }
        WebTestApplication.KeyEntry entry = WebTestApplication.KEYS.get(request.accessKeyId());
        if (entry == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).header("x-amzn-ErrorType", "UnrecognizedClientException")
                    .build();
        }
        byte[] key = SigningKeys.derive(entry.secret(), request.date(), request.region(), request.service());
        return ResponseEntity.ok(Map.of("accessKeyId", request.accessKeyId(), "clientId", entry.clientId(),
                "scopes", entry.scopes(), "signingKey", Base64.getEncoder().encodeToString(key)));
    }

    @GetMapping("/internal/revocations")
    ResponseEntity<Revocations> revocations() {
        if (!AVAILABLE.get()) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
        }
        return ResponseEntity.ok(WebTestApplication.REVOCATIONS.get());
    }
}
