package io.openiot.policy.token;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/token-keys")
@Tag(name = "Token signing keys", description = "The RSA keys that sign access tokens (public halves at "
        + "GET /oauth2/jwks). Needs scope iot:admin.")
@SecurityRequirement(name = "bearer-jwt")
class TokenKeyController {

    private final TokenSigningKeys keys;

    TokenKeyController(TokenSigningKeys keys) {
        this.keys = keys;
    }

    record KeyList(List<TokenSigningKeys.KeyInfo> keys) {
    }

    record RotatedKey(String keyId) {
    }

    @GetMapping
    @Operation(summary = "List the published signing keys", description = "Newest first; retiredAt is null for "
            + "the current key.")
    @ApiResponse(responseCode = "200", description = "The keys, without key material")
    KeyList list() {
        return new KeyList(keys.published());
    }

    @PostMapping("/rotate")
    @Operation(summary = "Rotate the signing key", description = "New tokens are signed with a new key; the old key "
            + "stays in the JWKS for iot.policy.token.max-lifetime, so its tokens verify until they expire.")
    @ApiResponse(responseCode = "200", description = "The new key's id (the kid of new tokens)")
    RotatedKey rotate() {
        return new RotatedKey(keys.rotate());
    }
}
