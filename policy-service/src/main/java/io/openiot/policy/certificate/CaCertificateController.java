package io.openiot.policy.certificate;

import static io.openiot.policy.AwsTime.epochSeconds;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** AWS IoT's CA certificate operations and the registration code a verification certificate carries. */
@RestController
@Tag(name = "CA certificates", description = "CAs whose certificates devices may register (AWS IoT control plane)")
@SecurityRequirement(name = "bearer")
class CaCertificateController {

    private final Certificates certificates;

    CaCertificateController(Certificates certificates) {
        this.certificates = certificates;
    }

    record RegisterCaRequest(String caCertificate, String verificationCertificate, JsonNode registrationConfig,
            String certificateMode) {
    }

    record RegisteredCa(String certificateArn, String certificateId) {
    }

    record RegistrationCode(String registrationCode) {
    }

    record Validity(BigDecimal notBefore, BigDecimal notAfter) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CaDescription(String certificateArn, String certificateId, String status, String certificatePem,
            String ownedBy, BigDecimal creationDate, String autoRegistrationStatus, BigDecimal lastModifiedDate,
            Integer customerVersion, Validity validity, String certificateMode) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DescribeCaResponse(CaDescription certificateDescription, JsonNode registrationConfig) {
    }

    record CaSummary(String certificateArn, String certificateId, String status, BigDecimal creationDate) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CaList(List<CaSummary> certificates, String nextMarker) {
    }

    @GetMapping("/registrationcode")
    @Operation(summary = "GetRegistrationCode", description = "The common name of a verification certificate.")
    RegistrationCode registrationCode() {
        return new RegistrationCode(certificates.registrationCode());
    }

    @PostMapping("/cacertificate")
    @Operation(summary = "RegisterCACertificate", description = "DEFAULT mode needs a verification certificate "
            + "signed by the CA whose CN is the registration code; SNI_ONLY needs none.")
    RegisteredCa register(@RequestParam(defaultValue = "false") boolean setAsActive,
            @RequestParam(defaultValue = "false") boolean allowAutoRegistration,
            @RequestBody RegisterCaRequest request) {
        Certificates.CaCertificate ca = certificates.registerCa(request.caCertificate(),
                request.verificationCertificate(), setAsActive, allowAutoRegistration, request.certificateMode(),
                request.registrationConfig() == null ? null : request.registrationConfig().toString());
        return new RegisteredCa(ca.arn(), ca.certificateId());
    }

    @GetMapping("/cacertificate/{caCertificateId}")
    @Operation(summary = "DescribeCACertificate")
    DescribeCaResponse describe(@PathVariable String caCertificateId) {
        Certificates.CaCertificate ca = certificates.describeCa(caCertificateId);
        return new DescribeCaResponse(new CaDescription(ca.arn(), ca.certificateId(), ca.status(), ca.pem(), null,
                epochSeconds(ca.createdAt()), ca.autoRegistration() ? "ENABLE" : "DISABLE",
                epochSeconds(ca.updatedAt()), 1, new Validity(epochSeconds(ca.validFrom()),
                epochSeconds(ca.validTo())), ca.certificateMode()),
                ca.registrationConfig() == null ? null
                        : tools.jackson.databind.json.JsonMapper.builder().build().readTree(ca.registrationConfig()));
    }

    @GetMapping("/cacertificates")
    @Operation(summary = "ListCACertificates")
    CaList list(@RequestParam(required = false) Integer pageSize, @RequestParam(required = false) String marker,
            @RequestParam(required = false) Boolean isAscendingOrder,
            @RequestParam(required = false) Boolean ascendingOrder) {
        Certificates.Page<Certificates.CaCertificate> page = certificates.listCa(pageSize, marker,
                Boolean.TRUE.equals(isAscendingOrder) || Boolean.TRUE.equals(ascendingOrder));
        return new CaList(page.items().stream().map(ca -> new CaSummary(ca.arn(), ca.certificateId(), ca.status(),
                epochSeconds(ca.createdAt()))).toList(), page.nextMarker());
    }

    @PutMapping("/cacertificate/{caCertificateId}")
    @Operation(summary = "UpdateCACertificate", description = "newStatus ACTIVE/INACTIVE, newAutoRegistrationStatus "
            + "ENABLE/DISABLE.")
    void update(@PathVariable String caCertificateId, @RequestParam(required = false) String newStatus,
            @RequestParam(required = false) String newAutoRegistrationStatus) {
        certificates.updateCa(caCertificateId, newStatus, newAutoRegistrationStatus);
    }

    @DeleteMapping("/cacertificate/{caCertificateId}")
    @Operation(summary = "DeleteCACertificate", description = "Only when INACTIVE (406 CertificateStateException) "
            + "and no certificate it signed is registered (409 DeleteConflictException).")
    void delete(@PathVariable String caCertificateId) {
        certificates.deleteCa(caCertificateId);
    }
}
