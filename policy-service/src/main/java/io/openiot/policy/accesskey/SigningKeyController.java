package io.openiot.policy.accesskey;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Base64;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** What the other services ask to verify a SigV4 request: the daily signing key, never the secret. */
@RestController
@Tag(name = "Internal", description = "For the platform's services only (scope iot:internal)")
@SecurityRequirement(name = "bearer-jwt")
class SigningKeyController {

    private final AccessKeys accessKeys;

    SigningKeyController(AccessKeys accessKeys) {
        this.accessKeys = accessKeys;
    }

    record SigningKeyRequest(String accessKeyId, String date, String region, String service) {
    }

    record SigningKeyAnswer(String accessKeyId, String clientId, List<String> scopes, String signingKey) {
    }

    @PostMapping("/internal/sigv4/signing-key")
    @Operation(summary = "Derive the SigV4 signing key of an access key for one date, region and service",
            description = "signingKey is base64 of kSigning = HMAC chain of \"AWS4\" + secret over date, region, "
                    + "service and \"aws4_request\".")
    @ApiResponse(responseCode = "200", description = "The derived key and the key's client and scopes")
    @ApiResponse(responseCode = "400", description = "date not yyyyMMdd, or region/service malformed")
    @ApiResponse(responseCode = "404", description = "Unknown, inactive or deleted key (x-amzn-ErrorType: "
            + "UnrecognizedClientException)")
    SigningKeyAnswer signingKey(@RequestBody SigningKeyRequest request) {
        AccessKeys.SigningKey key = accessKeys.signingKey(request.accessKeyId(), request.date(), request.region(),
                request.service());
        return new SigningKeyAnswer(key.accessKeyId(), key.clientId(), key.scopes(),
                Base64.getEncoder().encodeToString(key.key()));
    }
}
