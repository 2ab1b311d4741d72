package io.openiot.policy.certificate;

import static io.openiot.policy.AwsTime.epochSeconds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** AWS IoT's certificate operations, same paths and JSON field names; timestamps are epoch seconds as AWS's. */
@RestController
@Tag(name = "Certificates", description = "Device certificates (AWS IoT control plane) and the platform CA")
@SecurityRequirement(name = "bearer")
class CertificateController {

    private final Certificates certificates;

    CertificateController(Certificates certificates) {
        this.certificates = certificates;
    }

    record KeyPair(@JsonProperty("PublicKey") String publicKey, @JsonProperty("PrivateKey") String privateKey) {
    }

    record CreatedKeysAndCertificate(String certificateArn, String certificateId, String certificatePem,
            KeyPair keyPair) {
    }

    record CreatedCertificate(String certificateArn, String certificateId, String certificatePem) {
    }

    record CsrRequest(String certificateSigningRequest) {
    }

    record RegisterRequest(String certificatePem, String caCertificatePem, Boolean setAsActive, String status) {
    }

    record RegisteredCertificate(String certificateArn, String certificateId) {
    }

    record Validity(BigDecimal notBefore, BigDecimal notAfter) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CertificateDescription(String certificateArn, String certificateId, String caCertificateId, String status,
            String certificatePem, String ownedBy, BigDecimal creationDate, BigDecimal lastModifiedDate,
            Integer customerVersion, Validity validity, String certificateMode) {
    }

    record DescribeCertificateResponse(CertificateDescription certificateDescription) {
    }

    record CertificateSummary(String certificateArn, String certificateId, String status, String certificateMode,
            BigDecimal creationDate) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CertificateList(List<CertificateSummary> certificates, String nextMarker) {
    }

    record PlatformCaView(String certificateId, String certificatePem) {
    }

    @PostMapping("/keys-and-certificate")
    @Operation(summary = "CreateKeysAndCertificate", description = "An RSA-2048 key pair and a certificate signed by "
            + "the platform CA. The private key is in this answer only; it is neither stored nor logged.")
    CreatedKeysAndCertificate createKeysAndCertificate(
            @RequestParam(defaultValue = "false") boolean setAsActive) {
        Certificates.KeysAndCertificate created = certificates.createKeysAndCertificate(setAsActive);
        Certificates.Certificate c = created.certificate();
        return new CreatedKeysAndCertificate(c.arn(), c.certificateId(), c.pem(),
                new KeyPair(created.publicKeyPem(), created.privateKeyPem()));
    }

    @PostMapping("/certificates")
    @Operation(summary = "CreateCertificateFromCsr", description = "A certificate for the CSR's key, signed by the "
            + "platform CA.")
    CreatedCertificate createFromCsr(@RequestParam(defaultValue = "false") boolean setAsActive,
            @RequestBody CsrRequest request) {
        Certificates.Certificate c = certificates.createFromCsr(request.certificateSigningRequest(), setAsActive);
        return new CreatedCertificate(c.arn(), c.certificateId(), c.pem());
    }

    @PostMapping("/certificate/register")
    @Operation(summary = "RegisterCertificate", description = "A certificate signed by a registered CA (or the "
            + "platform CA); status INACTIVE unless setAsActive or status say otherwise.")
    RegisteredCertificate register(@RequestParam(required = false) Boolean setAsActive,
            @RequestBody RegisterRequest request) {
        String status = request.status();
        boolean active = Boolean.TRUE.equals(setAsActive) || Boolean.TRUE.equals(request.setAsActive());
        Certificates.Certificate c = certificates.register(request.certificatePem(), request.caCertificatePem(),
                status == null && active ? "ACTIVE" : status);
        return new RegisteredCertificate(c.arn(), c.certificateId());
    }

    @PostMapping("/certificate/register-no-ca")
    @Operation(summary = "RegisterCertificateWithoutCA", description = "Any certificate, certificate mode SNI_ONLY.")
    RegisteredCertificate registerWithoutCa(@RequestBody RegisterRequest request) {
        Certificates.Certificate c = certificates.registerWithoutCa(request.certificatePem(), request.status());
        return new RegisteredCertificate(c.arn(), c.certificateId());
    }

    @PutMapping("/certificates/{certificateId}")
    @Operation(summary = "UpdateCertificate", description = "newStatus ACTIVE, INACTIVE or REVOKED; a REVOKED "
            + "certificate stays revoked (406 CertificateStateException).")
    void update(@PathVariable String certificateId, @RequestParam String newStatus) {
        certificates.updateStatus(certificateId, newStatus);
    }

    @GetMapping("/certificates/{certificateId}")
    @Operation(summary = "DescribeCertificate")
    DescribeCertificateResponse describe(@PathVariable String certificateId) {
        Certificates.Certificate c = certificates.describe(certificateId);
        return new DescribeCertificateResponse(new CertificateDescription(c.arn(), c.certificateId(),
                c.caCertificateId(), c.status(), c.pem(), null, epochSeconds(c.createdAt()),
                epochSeconds(c.updatedAt()), 1, new Validity(epochSeconds(c.validFrom()), epochSeconds(c.validTo())),
                c.certificateMode()));
    }

    @GetMapping("/certificates")
    @Operation(summary = "ListCertificates", description = "Newest first unless isAscendingOrder (or "
            + "ascendingOrder) is true; pageSize 1-250 (25); marker from nextMarker.")
    CertificateList list(@RequestParam(required = false) Integer pageSize,
            @RequestParam(required = false) String marker,
            @RequestParam(required = false) Boolean isAscendingOrder,
            @RequestParam(required = false) Boolean ascendingOrder) {
        return list(null, pageSize, marker, isAscendingOrder, ascendingOrder);
    }

    @GetMapping("/certificates-by-ca/{caCertificateId}")
    @Operation(summary = "ListCertificatesByCA")
    CertificateList listByCa(@PathVariable String caCertificateId, @RequestParam(required = false) Integer pageSize,
            @RequestParam(required = false) String marker,
            @RequestParam(required = false) Boolean isAscendingOrder,
            @RequestParam(required = false) Boolean ascendingOrder) {
        certificates.describeCa(caCertificateId);
        return list(caCertificateId, pageSize, marker, isAscendingOrder, ascendingOrder);
    }

    private CertificateList list(String caId, Integer pageSize, String marker, Boolean isAscending,
            Boolean ascending) {
        Certificates.Page<Certificates.Certificate> page = certificates.list(caId, pageSize, marker,
                Boolean.TRUE.equals(isAscending) || Boolean.TRUE.equals(ascending));
        return new CertificateList(page.items().stream().map(c -> new CertificateSummary(c.arn(), c.certificateId(),
                c.status(), c.certificateMode(), epochSeconds(c.createdAt()))).toList(), page.nextMarker());
    }

    @DeleteMapping("/certificates/{certificateId}")
    @Operation(summary = "DeleteCertificate", description = "Only INACTIVE or REVOKED (else 406 "
            + "CertificateStateException) and with no policy attached (else 409 DeleteConflictException).")
    void delete(@PathVariable String certificateId,
            @RequestParam(required = false) Boolean forceDelete) {
        certificates.delete(certificateId);
    }

    @GetMapping(value = "/platform-ca", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The platform CA certificate", description = "Open: the CA devices and the gateway trust "
            + "for certificates this service creates. Accept: application/x-pem-file gives the bare PEM.")
    PlatformCaView platformCa() {
        return new PlatformCaView(certificates.platformCaId(), certificates.platformCaPem());
    }

    @GetMapping(value = "/platform-ca", produces = "application/x-pem-file")
    String platformCaPem() {
        return certificates.platformCaPem();
    }
}
