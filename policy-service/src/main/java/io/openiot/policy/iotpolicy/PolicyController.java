package io.openiot.policy.iotpolicy;

import static io.openiot.policy.AwsTime.epochSeconds;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** AWS IoT's policy and policy-version operations; documents are validated with policy-language. */
@RestController
@Tag(name = "Policies", description = "IoT policies and their versions (AWS IoT control plane)")
@SecurityRequirement(name = "bearer")
class PolicyController {

    private final Policies policies;

    PolicyController(Policies policies) {
        this.policies = policies;
    }

    record DocumentRequest(String policyDocument) {
    }

    record CreatedPolicy(String policyName, String policyArn, String policyDocument, String policyVersionId) {
    }

    record PolicyView(String policyName, String policyArn, String policyDocument, String defaultVersionId,
            BigDecimal creationDate, BigDecimal lastModifiedDate, String generationId) {
    }

    record PolicySummary(String policyName, String policyArn) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PolicyList(List<PolicySummary> policies, String nextMarker) {
    }

    record CreatedVersion(String policyArn, String policyDocument, String policyVersionId,
            boolean isDefaultVersion) {
    }

    record VersionSummary(String versionId, boolean isDefaultVersion, BigDecimal createDate) {
    }

    record VersionList(List<VersionSummary> policyVersions) {
    }

    record VersionView(String policyArn, String policyName, String policyDocument, String policyVersionId,
            boolean isDefaultVersion, BigDecimal creationDate, BigDecimal lastModifiedDate, String generationId) {
    }

    @PostMapping("/policies/{policyName}")
    @Operation(summary = "CreatePolicy", description = "Version 1, the default. 400 MalformedPolicyException with "
            + "the reason; 409 ResourceAlreadyExistsException.")
    CreatedPolicy create(@PathVariable String policyName, @RequestBody DocumentRequest request) {
        Policies.Version v = policies.create(policyName, request.policyDocument());
        return new CreatedPolicy(policyName, policies.arn(policyName), v.document(), v.versionId());
    }

    @GetMapping("/policies/{policyName}")
    @Operation(summary = "GetPolicy", description = "The default version's document.")
    PolicyView get(@PathVariable String policyName) {
        Policies.Policy p = policies.get(policyName);
        return new PolicyView(p.name(), p.arn(), p.document(), p.defaultVersionId(), epochSeconds(p.createdAt()),
                epochSeconds(p.updatedAt()), generation(p.name(), p.defaultVersionId()));
    }

    @GetMapping("/policies")
    @Operation(summary = "ListPolicies", description = "By name; isAscendingOrder (or ascendingOrder), pageSize, "
            + "marker.")
    PolicyList list(@RequestParam(required = false) Integer pageSize, @RequestParam(required = false) String marker,
            @RequestParam(required = false) Boolean isAscendingOrder,
            @RequestParam(required = false) Boolean ascendingOrder) {
        Policies.Page<Policies.Policy> page = policies.list(pageSize, marker,
                !Boolean.FALSE.equals(isAscendingOrder) && !Boolean.FALSE.equals(ascendingOrder));
        return new PolicyList(page.items().stream().map(p -> new PolicySummary(p.name(), p.arn())).toList(),
                page.nextMarker());
    }

    @DeleteMapping("/policies/{policyName}")
    @Operation(summary = "DeletePolicy", description = "409 DeleteConflictException while attached or while it has "
            + "non-default versions.")
    void delete(@PathVariable String policyName) {
        policies.delete(policyName);
    }

    @PostMapping("/policies/{policyName}/version")
    @Operation(summary = "CreatePolicyVersion", description = "At most 5 versions (409 "
            + "VersionsLimitExceededException); version ids are never reused.")
    CreatedVersion createVersion(@PathVariable String policyName,
            @RequestParam(defaultValue = "false") boolean setAsDefault, @RequestBody DocumentRequest request) {
        Policies.Version v = policies.createVersion(policyName, request.policyDocument(), setAsDefault);
        return new CreatedVersion(policies.arn(policyName), v.document(), v.versionId(), v.isDefault());
    }

    @GetMapping("/policies/{policyName}/version")
    @Operation(summary = "ListPolicyVersions", description = "Newest first.")
    VersionList versions(@PathVariable String policyName) {
        return new VersionList(policies.versions(policyName).stream()
                .map(v -> new VersionSummary(v.versionId(), v.isDefault(), epochSeconds(v.createdAt()))).toList());
    }

    @GetMapping("/policies/{policyName}/version/{policyVersionId}")
    @Operation(summary = "GetPolicyVersion")
    VersionView version(@PathVariable String policyName, @PathVariable String policyVersionId) {
        Policies.Version v = policies.version(policyName, policyVersionId);
        return new VersionView(policies.arn(policyName), policyName, v.document(), v.versionId(), v.isDefault(),
                epochSeconds(v.createdAt()), epochSeconds(v.createdAt()), generation(policyName, v.versionId()));
    }

    @PatchMapping("/policies/{policyName}/version/{policyVersionId}")
    @Operation(summary = "SetDefaultPolicyVersion")
    void setDefault(@PathVariable String policyName, @PathVariable String policyVersionId) {
        policies.setDefault(policyName, policyVersionId);
    }

    @DeleteMapping("/policies/{policyName}/version/{policyVersionId}")
    @Operation(summary = "DeletePolicyVersion", description = "Not the default version (409 DeleteConflictException).")
    void deleteVersion(@PathVariable String policyName, @PathVariable String policyVersionId) {
        policies.deleteVersion(policyName, policyVersionId);
    }

    /** AWS's generationId changes with every change of the default; name and version id do the same here. */
    private static String generation(String name, String versionId) {
        return Integer.toHexString((name + "/" + versionId).hashCode());
    }
}
