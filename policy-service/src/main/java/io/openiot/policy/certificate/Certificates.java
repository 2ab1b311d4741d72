package io.openiot.policy.certificate;

import io.openiot.contracts.SecurityEvent;
import io.openiot.policy.ArnProperties;
import io.openiot.policy.certificate.domain.Pki;
import io.openiot.policy.event.SecurityEventOutbox;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Device and CA certificates as AWS IoT keeps them; every status change writes a security event. */
@Service
public class Certificates {

    /** AWS's certificates from CreateKeysAndCertificate are valid until the end of 2049. */
    static final Instant DEVICE_NOT_AFTER = Instant.parse("2049-12-31T23:59:59Z");
    static final String DEVICE_SUBJECT = "CN=AWS IoT Certificate";
    private static final Set<String> SETTABLE = Set.of("ACTIVE", "INACTIVE", "REVOKED");
    private static final Set<String> REGISTRABLE = Set.of("ACTIVE", "INACTIVE", "PENDING_ACTIVATION");

    private final JdbcClient jdbc;
    private final PlatformCa platformCa;
    private final ArnProperties arns;
    private final SecurityEventOutbox events;
    private final Clock clock;

    Certificates(JdbcClient jdbc, PlatformCa platformCa, ArnProperties arns, SecurityEventOutbox events,
            Clock clock) {
        this.jdbc = jdbc;
        this.platformCa = platformCa;
        this.arns = arns;
        this.events = events;
        this.clock = clock;
    }

    public record Certificate(String certificateId, String arn, String pem, String status, String caCertificateId,
            String certificateMode, Instant validFrom, Instant validTo, Instant createdAt, Instant updatedAt) {
    }

    public record CaCertificate(String certificateId, String arn, String pem, String status,
            boolean autoRegistration, String certificateMode, String registrationConfig, Instant validFrom,
            Instant validTo, Instant createdAt, Instant updatedAt) {
    }

    record KeysAndCertificate(Certificate certificate, String publicKeyPem, String privateKeyPem) {
    }

    record Page<T>(List<T> items, String nextMarker) {
    }

    public String arn(String certificateId) {
        return arns.arn("cert", certificateId);
    }

    String caArn(String certificateId) {
        return arns.arn("cacert", certificateId);
    }

    /** The code a verification certificate's CN must carry: stable while the platform CA stays. */
    String registrationCode() {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("registration-code:" + platformCa.certificateId()).getBytes()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String platformCaPem() {
        return platformCa.pem();
    }

    String platformCaId() {
        return platformCa.certificateId();
    }

    @Transactional
    KeysAndCertificate createKeysAndCertificate(boolean setAsActive) {
        KeyPair keys = Pki.newRsaKeyPair();
        Certificate certificate = issue(keys.getPublic(), DEVICE_SUBJECT, setAsActive);
        return new KeysAndCertificate(certificate, Pki.publicKeyPem(keys.getPublic()), Pki.toPem(keys.getPrivate()));
    }

    @Transactional
    Certificate createFromCsr(String csrPem, boolean setAsActive) {
        Pki.SigningRequest request;
        try {
            request = Pki.parseCsr(csrPem);
        } catch (Pki.InvalidCertificateException e) {
            throw CertificateException.invalid(e.getMessage());
        }
        return issue(request.publicKey(), request.subject(), setAsActive);
    }

    private Certificate issue(PublicKey publicKey, String subject, boolean setAsActive) {
        Instant now = clock.instant();
        X509Certificate x509 = Pki.issue(platformCa.certificate(), platformCa.privateKey(), publicKey, subject,
                now.minus(Duration.ofMinutes(5)), DEVICE_NOT_AFTER);
        return insert(x509, setAsActive ? "ACTIVE" : "INACTIVE", null, "DEFAULT");
    }

    @Transactional
    Certificate register(String certificatePem, String caCertificatePem, String status) {
        X509Certificate x509 = parse(certificatePem);
        String caId = null;
        if (caCertificatePem != null && !caCertificatePem.isBlank()) {
            X509Certificate ca = parse(caCertificatePem);
            caId = Pki.certificateId(ca);
            if (findCa(caId).isEmpty()) {
                throw CertificateException.validation("The CA certificate is not registered");
            }
            if (!Pki.isSignedBy(x509, ca)) {
                throw CertificateException.validation("The certificate is not signed by the CA certificate");
            }
        } else {
            caId = signingCa(x509).map(CaCertificate::certificateId).orElse(null);
            if (caId == null && !Pki.isSignedBy(x509, platformCa.certificate())) {
                throw CertificateException.validation("The certificate is not signed by a registered CA certificate");
            }
        }
        return insert(x509, registrationStatus(status), caId, "DEFAULT");
    }

    /** Outcome of a just-in-time registration: the certificate, and whether this call registered it. */
    public record JustInTime(Certificate certificate, boolean registered) {
    }

    /**
     * Just-in-time registration, as AWS does at a device's first connection: a certificate signed by a registered,
     * ACTIVE CA with auto-registration on is registered as PENDING_ACTIVATION, and
     * {@code $aws/events/certificates/registered/{caCertificateId}} is published through the outbox. A known
     * certificate is returned as it is. Empty when no such CA signed it.
     */
    @Transactional
    public Optional<JustInTime> registerJustInTime(String certificatePem) {
        X509Certificate x509 = parse(certificatePem);
        Optional<Certificate> known = find(Pki.certificateId(x509));
        if (known.isPresent()) {
            return Optional.of(new JustInTime(known.get(), false));
        }
        Optional<CaCertificate> ca = signingCa(x509)
                .filter(c -> c.status().equals("ACTIVE") && c.autoRegistration());
        if (ca.isEmpty()) {
            return Optional.empty();
        }
        Certificate certificate;
        try {
            certificate = insert(x509, "PENDING_ACTIVATION", ca.get().certificateId(), "DEFAULT");
        } catch (CertificateException e) {
            // registered concurrently by another connection of the same device
            return find(Pki.certificateId(x509)).map(c -> new JustInTime(c, false));
        }
        long now = clock.millis();
        // AWS's payload of the registration event (AWS IoT Developer Guide, just-in-time registration)
        String payload = "{\"certificateId\":\"" + certificate.certificateId() + "\",\"caCertificateId\":\""
                + ca.get().certificateId() + "\",\"timestamp\":" + now
                + ",\"certificateStatus\":\"PENDING_ACTIVATION\",\"awsAccountId\":\"" + arns.accountId()
                + "\",\"certificateRegistrationTimestamp\":\"" + now + "\"}";
        events.mqttMessage("$aws/events/certificates/registered/" + ca.get().certificateId(), payload);
        return Optional.of(new JustInTime(certificate, true));
    }

    @Transactional
    Certificate registerWithoutCa(String certificatePem, String status) {
        X509Certificate x509 = parse(certificatePem);
        return insert(x509, registrationStatus(status), null, "SNI_ONLY");
    }

    /** The registered CA (any status) whose key signed the certificate. */
    Optional<CaCertificate> signingCa(X509Certificate x509) {
        return jdbc.sql("SELECT * FROM ca_certificate WHERE subject = :issuer")
                .param("issuer", x509.getIssuerX500Principal().getName()).query(this::mapCa).list().stream()
                .filter(ca -> Pki.isSignedBy(x509, Pki.parseCertificate(ca.pem()))).findFirst();
    }

    private static String registrationStatus(String status) {
        String value = status == null || status.isBlank() ? "INACTIVE" : status;
        if (!REGISTRABLE.contains(value)) {
            throw CertificateException.invalid("status must be ACTIVE, INACTIVE or PENDING_ACTIVATION");
        }
        return value;
    }

    private static X509Certificate parse(String pem) {
        try {
            return Pki.parseCertificate(pem);
        } catch (Pki.InvalidCertificateException e) {
            throw CertificateException.validation(e.getMessage());
        }
    }

    Certificate insert(X509Certificate x509, String status, String caId, String mode) {
        String id = Pki.certificateId(x509);
        Instant now = clock.instant();
        int inserted = jdbc.sql("INSERT INTO certificate (certificate_id, arn, pem, status, ca_certificate_id, "
                        + "certificate_mode, subject, issuer, valid_from, valid_to, created_at, updated_at) VALUES "
                        + "(:id, :arn, :pem, :status, :ca, :mode, :subject, :issuer, :from, :to, :now, :now) "
                        + "ON CONFLICT (certificate_id) DO NOTHING")
                .param("id", id).param("arn", arn(id)).param("pem", Pki.toPem(x509)).param("status", status)
                .param("ca", caId).param("mode", mode)
                .param("subject", x509.getSubjectX500Principal().getName())
                .param("issuer", x509.getIssuerX500Principal().getName())
                .param("from", Timestamp.from(x509.getNotBefore().toInstant()))
                .param("to", Timestamp.from(x509.getNotAfter().toInstant())).param("now", Timestamp.from(now))
                .update();
        if (inserted == 0) {
            throw CertificateException.exists(id);
        }
        events.certificate(SecurityEvent.Types.CERTIFICATE_CREATED, id, status);
        return find(id).orElseThrow();
    }

    public Optional<Certificate> find(String id) {
        return jdbc.sql("SELECT * FROM certificate WHERE certificate_id = :id").param("id", id).query(this::map)
                .optional();
    }

    Certificate describe(String id) {
        return find(id).orElseThrow(() -> CertificateException.notFound(id));
    }

    @Transactional
    void updateStatus(String id, String newStatus) {
        if (newStatus == null || !SETTABLE.contains(newStatus)) {
            throw CertificateException.invalid("newStatus must be ACTIVE, INACTIVE or REVOKED");
        }
        Certificate current = jdbc.sql("SELECT * FROM certificate WHERE certificate_id = :id FOR UPDATE")
                .param("id", id).query(this::map).optional().orElseThrow(() -> CertificateException.notFound(id));
        if (current.status().equals("REVOKED") && !newStatus.equals("REVOKED")) {
            throw CertificateException.state("The certificate is revoked; its status cannot change");
        }
        if (current.status().equals("PENDING_TRANSFER")) {
            throw CertificateException.state("The certificate is pending transfer");
        }
        if (current.status().equals(newStatus)) {
            return;
        }
        jdbc.sql("UPDATE certificate SET status = :status, updated_at = :now WHERE certificate_id = :id")
                .param("status", newStatus).param("now", Timestamp.from(clock.instant())).param("id", id).update();
        events.certificate(SecurityEvent.Types.CERTIFICATE_STATUS_CHANGED, id, newStatus);
    }

    @Transactional
    void delete(String id) {
        Certificate current = jdbc.sql("SELECT * FROM certificate WHERE certificate_id = :id FOR UPDATE")
                .param("id", id).query(this::map).optional().orElseThrow(() -> CertificateException.notFound(id));
        if (current.status().equals("ACTIVE")) {
            throw CertificateException.state("The certificate is ACTIVE; deactivate or revoke it first");
        }
        // the same lock order as AttachPolicy (policy row, then attachment), so a concurrent attach either commits
        // first and is seen here or sees the certificate gone
        List<String> policies = jdbc.sql("SELECT policy_name FROM policy_target_attachment WHERE target = :arn")
                .param("arn", current.arn()).query(String.class).list();
        if (!policies.isEmpty()) {
            throw CertificateException.conflict("The certificate has policies attached: " + policies);
        }
        jdbc.sql("DELETE FROM certificate WHERE certificate_id = :id").param("id", id).update();
        events.certificate(SecurityEvent.Types.CERTIFICATE_DELETED, id, null);
    }

    Page<Certificate> list(String caId, Integer pageSize, String marker, boolean ascending) {
        int size = pageSize(pageSize);
        int offset = offset(marker);
        String where = caId == null ? "" : "WHERE ca_certificate_id = :ca ";
        String order = ascending ? "ASC" : "DESC";
        JdbcClient.StatementSpec spec = jdbc.sql("SELECT * FROM certificate " + where + "ORDER BY created_at " + order
                + ", certificate_id " + order + " LIMIT :limit OFFSET :offset")
                .param("limit", size + 1).param("offset", offset);
        if (caId != null) {
            spec = spec.param("ca", caId);
        }
        return page(spec.query(this::map).list(), size, offset);
    }

    // ---- CA certificates

    @Transactional
    CaCertificate registerCa(String caPem, String verificationPem, boolean setAsActive,
            boolean allowAutoRegistration, String certificateMode, String registrationConfig) {
        String mode = certificateMode == null || certificateMode.isBlank() ? "DEFAULT" : certificateMode;
        if (!mode.equals("DEFAULT") && !mode.equals("SNI_ONLY")) {
            throw CertificateException.invalid("certificateMode must be DEFAULT or SNI_ONLY");
        }
        X509Certificate ca = parse(caPem);
        if (ca.getBasicConstraints() < 0) {
            throw CertificateException.validation("The certificate is not a CA certificate (basic constraints)");
        }
        if (mode.equals("DEFAULT")) {
            if (verificationPem == null || verificationPem.isBlank()) {
                throw CertificateException.invalid("verificationCertificate is required in DEFAULT mode");
            }
            X509Certificate verification = parse(verificationPem);
            if (!Pki.isSignedBy(verification, ca)) {
                throw CertificateException.validation("The verification certificate is not signed by the CA");
            }
            if (!verification.getSubjectX500Principal().getName().contains("CN=" + registrationCode())) {
                throw CertificateException.validation(
                        "The verification certificate's common name is not the registration code");
            }
        }
        String id = Pki.certificateId(ca);
        int count = jdbc.sql("SELECT count(*) FROM ca_certificate WHERE subject = :subject")
                .param("subject", ca.getSubjectX500Principal().getName()).query(Integer.class).single();
        if (count >= 10) {
            throw CertificateException.invalid("At most 10 CA certificates may have the same subject");
        }
        Instant now = clock.instant();
        int inserted = jdbc.sql("INSERT INTO ca_certificate (certificate_id, arn, pem, subject, status, "
                        + "auto_registration, certificate_mode, registration_config, valid_from, valid_to, created_at, "
                        + "updated_at) VALUES (:id, :arn, :pem, :subject, :status, :auto, :mode, "
                        + "CAST(:config AS jsonb), :from, :to, :now, :now) ON CONFLICT (certificate_id) DO NOTHING")
                .param("id", id).param("arn", caArn(id)).param("pem", Pki.toPem(ca))
                .param("subject", ca.getSubjectX500Principal().getName())
                .param("status", setAsActive ? "ACTIVE" : "INACTIVE").param("auto", allowAutoRegistration)
                .param("mode", mode).param("config", registrationConfig)
                .param("from", Timestamp.from(ca.getNotBefore().toInstant()))
                .param("to", Timestamp.from(ca.getNotAfter().toInstant())).param("now", Timestamp.from(now))
                .update();
        if (inserted == 0) {
            throw CertificateException.exists(id);
        }
        return findCa(id).orElseThrow();
    }

    public Optional<CaCertificate> findCa(String id) {
        return jdbc.sql("SELECT * FROM ca_certificate WHERE certificate_id = :id").param("id", id)
                .query(this::mapCa).optional();
    }

    CaCertificate describeCa(String id) {
        return findCa(id).orElseThrow(() -> CertificateException.caNotFound(id));
    }

    @Transactional
    void updateCa(String id, String newStatus, String newAutoRegistrationStatus) {
        CaCertificate current = jdbc.sql("SELECT * FROM ca_certificate WHERE certificate_id = :id FOR UPDATE")
                .param("id", id).query(this::mapCa).optional().orElseThrow(() -> CertificateException.caNotFound(id));
        String status = current.status();
        if (newStatus != null) {
            if (!newStatus.equals("ACTIVE") && !newStatus.equals("INACTIVE")) {
                throw CertificateException.invalid("newStatus must be ACTIVE or INACTIVE");
            }
            status = newStatus;
        }
        boolean auto = current.autoRegistration();
        if (newAutoRegistrationStatus != null) {
            if (!newAutoRegistrationStatus.equals("ENABLE") && !newAutoRegistrationStatus.equals("DISABLE")) {
                throw CertificateException.invalid("newAutoRegistrationStatus must be ENABLE or DISABLE");
            }
            auto = newAutoRegistrationStatus.equals("ENABLE");
        }
        jdbc.sql("UPDATE ca_certificate SET status = :status, auto_registration = :auto, updated_at = :now "
                        + "WHERE certificate_id = :id")
                .param("status", status).param("auto", auto).param("now", Timestamp.from(clock.instant()))
                .param("id", id).update();
        if (!status.equals(current.status())) {
            events.certificate(SecurityEvent.Types.CA_CERTIFICATE_STATUS_CHANGED, id, status);
        }
    }

    @Transactional
    void deleteCa(String id) {
        CaCertificate current = jdbc.sql("SELECT * FROM ca_certificate WHERE certificate_id = :id FOR UPDATE")
                .param("id", id).query(this::mapCa).optional().orElseThrow(() -> CertificateException.caNotFound(id));
        if (current.status().equals("ACTIVE")) {
            throw CertificateException.state("The CA certificate is ACTIVE; deactivate it first");
        }
        int signed = jdbc.sql("SELECT count(*) FROM certificate WHERE ca_certificate_id = :id").param("id", id)
                .query(Integer.class).single();
        if (signed > 0) {
            throw CertificateException.conflict("The CA certificate still has " + signed + " certificates registered");
        }
        jdbc.sql("DELETE FROM ca_certificate WHERE certificate_id = :id").param("id", id).update();
    }

    Page<CaCertificate> listCa(Integer pageSize, String marker, boolean ascending) {
        int size = pageSize(pageSize);
        int offset = offset(marker);
        String order = ascending ? "ASC" : "DESC";
        return page(jdbc.sql("SELECT * FROM ca_certificate ORDER BY created_at " + order + ", certificate_id " + order
                        + " LIMIT :limit OFFSET :offset").param("limit", size + 1).param("offset", offset)
                .query(this::mapCa).list(), size, offset);
    }

    private static int pageSize(Integer pageSize) {
        int size = pageSize == null ? 25 : pageSize;
        if (size < 1 || size > 250) {
            throw CertificateException.invalid("pageSize must be between 1 and 250");
        }
        return size;
    }

    /** Markers are opaque to callers; here they are the offset of the next page. */
    private static int offset(String marker) {
        if (marker == null || marker.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(marker));
        } catch (NumberFormatException e) {
            throw CertificateException.invalid("Invalid marker");
        }
    }

    private static <T> Page<T> page(List<T> rows, int size, int offset) {
        return rows.size() > size ? new Page<>(rows.subList(0, size), Integer.toString(offset + size))
                : new Page<>(rows, null);
    }

    private Certificate map(ResultSet rs, int row) throws SQLException {
        return new Certificate(rs.getString("certificate_id"), rs.getString("arn"), rs.getString("pem"),
                rs.getString("status"), rs.getString("ca_certificate_id"), rs.getString("certificate_mode"),
                rs.getTimestamp("valid_from").toInstant(), rs.getTimestamp("valid_to").toInstant(),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    private CaCertificate mapCa(ResultSet rs, int row) throws SQLException {
        return new CaCertificate(rs.getString("certificate_id"), rs.getString("arn"), rs.getString("pem"),
                rs.getString("status"), rs.getBoolean("auto_registration"), rs.getString("certificate_mode"),
                rs.getString("registration_config"), rs.getTimestamp("valid_from").toInstant(),
                rs.getTimestamp("valid_to").toInstant(), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
