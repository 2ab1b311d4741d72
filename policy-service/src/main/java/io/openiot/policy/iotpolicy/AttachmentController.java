package io.openiot.policy.iotpolicy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/** AttachPolicy, DetachPolicy, ListAttachedPolicies and ListTargetsForPolicy. */
@RestController
@Tag(name = "Policy attachments", description = "Policies attached to certificates and thing groups")
@SecurityRequirement(name = "bearer")
class AttachmentController {

    private final Policies policies;

    AttachmentController(Policies policies) {
        this.policies = policies;
    }

    record TargetRequest(String target) {
    }

    record PolicySummary(String policyName, String policyArn) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AttachedPolicies(List<PolicySummary> policies, String nextMarker) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Targets(List<String> targets, String nextMarker) {
    }

    @PutMapping("/target-policies/{policyName}")
    @Operation(summary = "AttachPolicy", description = "body target: a certificate ARN or a thing-group ARN; "
            + "idempotent; at most 10 policies per target (410 LimitExceededException).")
    void attach(@PathVariable String policyName, @RequestBody TargetRequest request) {
        policies.attach(policyName, request.target());
    }

    @PostMapping("/target-policies/{policyName}")
    @Operation(summary = "DetachPolicy")
    void detach(@PathVariable String policyName, @RequestBody TargetRequest request) {
        policies.detach(policyName, request.target());
    }

    /** AWS's SDKs call this with POST; GET is accepted as well. */
    @RequestMapping(value = "/attached-policies/{target}", method = {RequestMethod.GET, RequestMethod.POST})
    @Operation(summary = "ListAttachedPolicies", description = "target URL-encoded. Direct attachments only "
            + "(recursive thing-group look-up needs registry data).")
    AttachedPolicies attached(@PathVariable String target) {
        return new AttachedPolicies(policies.attachedTo(target).stream()
                .map(p -> new PolicySummary(p.policyName(), p.policyArn())).toList(), null);
    }

    @RequestMapping(value = "/policy-targets/{policyName}", method = {RequestMethod.GET, RequestMethod.POST})
    @Operation(summary = "ListTargetsForPolicy")
    Targets targets(@PathVariable String policyName) {
        policies.get(policyName);
        return new Targets(policies.targets(policyName), null);
    }
}
