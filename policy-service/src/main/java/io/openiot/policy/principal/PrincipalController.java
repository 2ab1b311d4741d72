package io.openiot.policy.principal;

import io.openiot.policy.certificate.Certificates;
import io.openiot.policy.iotpolicy.Policies;
import io.openiot.policy.thing.Things;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The gateway's connect-time look-up: what a certificate may do, in one answer. The gateway compiles the documents
 * with policy-language and follows {@code iot.security-events} for changes afterwards.
 */
@RestController
@Tag(name = "Internal", description = "For the platform's services (scope iot:internal)")
@SecurityRequirement(name = "bearer")
class PrincipalController {

    private final Certificates certificates;
    private final Policies policies;
    private final Things things;

    PrincipalController(Certificates certificates, Policies policies, Things things) {
        this.certificates = certificates;
        this.policies = policies;
        this.things = things;
    }

    record PolicyView(String policyName, String policyArn, String policyVersionId, String policyDocument) {
    }

    /** A policy attached to a thing group: the thing's own group or one of its ancestors (inherited). */
    record GroupPolicyView(String policyName, String policyArn, String policyVersionId, String policyDocument,
            String thingGroupName, String thingGroupArn) {
        static GroupPolicyView of(Policies.GroupPolicy p) {
            return new GroupPolicyView(p.policy().policyName(), p.policy().policyArn(), p.policy().policyVersionId(),
                    p.policy().document(), p.thingGroupName(), p.thingGroupArn());
        }
    }

    /**
     * A thing the certificate is attached to, with what {@code ${iot:Connection.Thing.*}} resolves to. AWS resolves
     * them, and applies the thing's group policies, only when the MQTT client id equals {@code thingName}.
     *
     * @param attachmentType     {@code EXCLUSIVE_THING}/{@code NON_EXCLUSIVE_THING}, {@code null} while unknown
     * @param thingGroupNames    the groups it is in directly
     * @param thingGroupPolicies the policies of those groups and of their ancestors
     */
    record ThingView(String thingName, String thingTypeName, Map<String, String> attributes, boolean attached,
            String attachmentType, List<String> thingGroupNames, List<GroupPolicyView> thingGroupPolicies) {
    }

    /**
     * @param caCertificateStatus the registered CA's status, or {@code null} when the certificate has no registered
     *                            CA (platform-issued: the platform CA is always trusted; or registered without CA)
     * @param thingGroupPolicies  the policies of the groups of every attached thing and of their ancestors, each
     *                            policy once; with several things, apply only those of the thing chosen by client id
     *                            ({@code things[].thingGroupPolicies})
     * @param thing               the attached thing when there is exactly one, else {@code null}
     * @param things              every thing the certificate is attached to, by name
     * @param thingName           {@code thing.thingName}, or {@code null} (the gateway's record reads this name)
     */
    record Principal(String certificateId, String certificateArn, String status, String caCertificateId,
            String caCertificateStatus, String certificateMode, String certificatePem, List<PolicyView> policies,
            List<GroupPolicyView> thingGroupPolicies, ThingView thing, List<ThingView> things, String thingName) {
    }

    @GetMapping("/internal/principals/{certificateId}")
    @Operation(summary = "A certificate's status, its CA's status and its effective policies",
            description = "404 ResourceNotFoundException for an unknown certificate. A device may connect only when "
                    + "status is ACTIVE and caCertificateStatus is ACTIVE or null. things: every thing the certificate "
                    + "is attached to (registry projection); thing: that thing when there is exactly one. Thing "
                    + "variables and a thing's group policies apply only when the client id equals its thingName.")
    Principal principal(@PathVariable String certificateId) {
        Certificates.Certificate certificate = certificates.find(certificateId)
                .orElseThrow(() -> new PrincipalNotFoundException(certificateId));
        String caStatus = certificate.caCertificateId() == null ? null
                : certificates.findCa(certificate.caCertificateId()).map(Certificates.CaCertificate::status)
                        .orElse("INACTIVE");
        List<PolicyView> attached = policies.attachedTo(certificate.arn()).stream()
                .map(p -> new PolicyView(p.policyName(), p.policyArn(), p.policyVersionId(), p.document())).toList();
        List<ThingView> attachedThings = things.attachedTo(certificate.certificateId()).stream()
                .map(t -> new ThingView(t.thingName(), t.thingTypeName(), t.attributes(), true, t.attachmentType(),
                        t.thingGroupNames(), policies.thingGroupPolicies(t.groupsAndAncestors()).stream()
                                .map(GroupPolicyView::of).toList()))
                .toList();
        Map<String, GroupPolicyView> groupPolicies = new LinkedHashMap<>();
        attachedThings.forEach(t -> t.thingGroupPolicies().forEach(p -> groupPolicies.putIfAbsent(p.policyName(), p)));
        ThingView single = attachedThings.size() == 1 ? attachedThings.get(0) : null;
        return new Principal(certificate.certificateId(), certificate.arn(), certificate.status(),
                certificate.caCertificateId(), caStatus, certificate.certificateMode(), certificate.pem(), attached,
                List.copyOf(groupPolicies.values()), single, attachedThings,
                single == null ? null : single.thingName());
    }

    record JitRequest(String certificatePem) {
    }

    @org.springframework.web.bind.annotation.PostMapping("/internal/principals/jit-registration")
    @Operation(summary = "Just-in-time registration at a device's first connection",
            description = "Body certificatePem (the client certificate the TLS handshake showed). A certificate "
                    + "signed by a registered ACTIVE CA with auto-registration is registered as PENDING_ACTIVATION "
                    + "(201) and $aws/events/certificates/registered/{caCertificateId} goes to iot.messages; a known "
                    + "certificate is returned as it is (200); otherwise 404 ResourceNotFoundException.")
    org.springframework.http.ResponseEntity<Principal> justInTime(
            @org.springframework.web.bind.annotation.RequestBody JitRequest request) {
        Certificates.JustInTime result = certificates.registerJustInTime(request.certificatePem())
                .orElseThrow(() -> new PrincipalNotFoundException("signed by no CA with auto-registration"));
        return org.springframework.http.ResponseEntity.status(result.registered() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(principal(result.certificate().certificateId()));
    }

    static final class PrincipalNotFoundException extends io.openiot.web.problem.ApiException {
        PrincipalNotFoundException(String id) {
            super(HttpStatus.NOT_FOUND, "ResourceNotFoundException", "The certificate " + id + " does not exist");
        }
    }
}
