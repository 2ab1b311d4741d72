package io.openiot.policy.revocation;

import io.openiot.web.security.Revocations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The revocation list every service polls: revoked clients (refuse their tokens issued before {@code revokedAt}) and
 * access keys that are inactive, deleted or belong to a revoked client (drop cached signing keys). The body is
 * web-support's {@link Revocations}, the type the other services read it into.
 */
@RestController
@Tag(name = "Internal", description = "For the platform's services only (scope iot:internal)")
@SecurityRequirement(name = "bearer-jwt")
class RevocationController {

    private final RevocationQuery query;

    RevocationController(RevocationQuery query) {
        this.query = query;
    }

    @GetMapping("/internal/revocations")
    @Operation(summary = "Revoked clients and unusable access keys",
            description = "Entries stay listed as long as anything they could have produced is still valid: the "
                    + "longest token lifetime (iot.policy.token.max-lifetime), at least two days. revokedAt is epoch "
                    + "milliseconds.")
    @ApiResponse(responseCode = "200", description = "The list")
    Revocations revocations() {
        return query.current();
    }
}
