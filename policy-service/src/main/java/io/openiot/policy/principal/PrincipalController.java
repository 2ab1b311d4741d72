package io.openiot.policy.principal;

import io.openiot.policy.certificate.Certificates;
import io.openiot.policy.iotpolicy.Policies;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
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

    PrincipalController(Certificates certificates, Policies policies) {
        this.certificates = certificates;
        this.policies = policies;
    }

    record PolicyView(String policyName, String policyArn, String policyVersionId, String policyDocument) {
    }

    /**
     * @param caCertificateStatus the registered CA's status, or {@code null} when the certificate has no registered
     *                            CA (platform-issued: the platform CA is always trusted; or registered without CA)
     * @param thingGroupPolicies  always empty for now: thing-group membership comes from registry-service through
     *                            {@code iot.registry-events} later; the gateway must add those policies then
     */
    record Principal(String certificateId, String certificateArn, String status, String caCertificateId,
            String caCertificateStatus, String certificateMode, String certificatePem, List<PolicyView> policies,
            List<PolicyView> thingGroupPolicies) {
    }

    @GetMapping("/internal/principals/{certificateId}")
    @Operation(summary = "A certificate's status, its CA's status and its effective policies",
            description = "404 ResourceNotFoundException for an unknown certificate. A device may connect only when "
                    + "status is ACTIVE and caCertificateStatus is ACTIVE or null.")
    Principal principal(@PathVariable String certificateId) {
        Certificates.Certificate certificate = certificates.find(certificateId)
                .orElseThrow(() -> new PrincipalNotFoundException(certificateId));
        String caStatus = certificate.caCertificateId() == null ? null
                : certificates.findCa(certificate.caCertificateId()).map(Certificates.CaCertificate::status)
                        .orElse("INACTIVE");
        List<PolicyView> attached = policies.attachedTo(certificate.arn()).stream()
                .map(p -> new PolicyView(p.policyName(), p.policyArn(), p.policyVersionId(), p.document())).toList();
        return new Principal(certificate.certificateId(), certificate.arn(), certificate.status(),
                certificate.caCertificateId(), caStatus, certificate.certificateMode(), certificate.pem(), attached,
                List.of());
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
