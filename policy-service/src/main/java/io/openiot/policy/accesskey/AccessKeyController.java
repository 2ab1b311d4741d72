package io.openiot.policy.accesskey;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/clients/{clientId}/access-keys")
@Tag(name = "Access keys", description = "AWS-style access keys of an application client, for Signature V4. "
        + "A key carries its client's scopes. Needs scope iot:admin.")
@SecurityRequirement(name = "bearer-jwt")
class AccessKeyController {

    private final AccessKeys accessKeys;

    AccessKeyController(AccessKeys accessKeys) {
        this.accessKeys = accessKeys;
    }

    record AccessKeyView(String accessKeyId, String clientId, String status, Instant createDate) {

        static AccessKeyView of(AccessKey key) {
            return new AccessKeyView(key.accessKeyId(), key.clientId(), key.status(), key.createdAt());
        }
    }

    @Schema(description = "The new key with its secret; the secret is shown only in this answer")
    record CreatedAccessKey(String accessKeyId, String secretAccessKey, String clientId, String status,
            Instant createDate) {
    }

    record AccessKeyList(List<AccessKeyView> accessKeys) {
    }

    @Schema(description = "New status, as IAM's UpdateAccessKey")
    record StatusChange(@Schema(allowableValues = {"Active", "Inactive"}) String status) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an access key", description = "Returns the access key id (20 characters, AKIA...) "
            + "and the 40-character secret access key once; the secret is stored encrypted.")
    @ApiResponse(responseCode = "201", description = "Created")
    @ApiResponse(responseCode = "404", description = "Unknown or revoked client")
    CreatedAccessKey create(@PathVariable String clientId) {
        AccessKeys.AccessKeyWithSecret created = accessKeys.create(clientId);
        AccessKey key = created.key();
        return new CreatedAccessKey(key.accessKeyId(), created.secretAccessKey(), key.clientId(), key.status(),
                key.createdAt());
    }

    @GetMapping
    @Operation(summary = "List a client's access keys", description = "Without secrets; deleted keys are not listed.")
    @ApiResponse(responseCode = "200", description = "The keys, oldest first")
    @ApiResponse(responseCode = "404", description = "Unknown or revoked client")
    AccessKeyList list(@PathVariable String clientId) {
        return new AccessKeyList(accessKeys.list(clientId).stream().map(AccessKeyView::of).toList());
    }

    @PatchMapping("/{accessKeyId}")
    @Operation(summary = "Activate or deactivate an access key", description = "An Inactive key is refused by every "
            + "service within 60 s; it can be activated again.")
    @ApiResponse(responseCode = "200", description = "The key with its new status")
    @ApiResponse(responseCode = "400", description = "status is neither Active nor Inactive")
    @ApiResponse(responseCode = "404", description = "Unknown client or key")
    AccessKeyView setStatus(@PathVariable String clientId, @PathVariable String accessKeyId,
            @RequestBody StatusChange change) {
        return AccessKeyView.of(accessKeys.setStatus(clientId, accessKeyId, change.status()));
    }

    @DeleteMapping("/{accessKeyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete an access key", description = "For good; its id is never reused.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "Unknown client or key")
    void delete(@PathVariable String clientId, @PathVariable String accessKeyId) {
        accessKeys.delete(clientId, accessKeyId);
    }
}
