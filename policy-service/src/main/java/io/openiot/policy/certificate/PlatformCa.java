package io.openiot.policy.certificate;

import io.openiot.policy.certificate.domain.Pki;
import io.openiot.policy.secret.SecretCipher;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The CA that signs the device certificates this service creates: loaded, supplied or generated once. */
@Component
class PlatformCa {

    private static final Logger log = LoggerFactory.getLogger(PlatformCa.class);
    /** Serialises generation among instances that start at the same time. */
    private static final long GENERATION_LOCK = 0x0CA0_0001L;

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final String certificateId;

    PlatformCa(PlatformCaProperties properties, JdbcClient jdbc, SecretCipher cipher, TransactionTemplate tx,
            Clock clock) {
        if (properties.supplied()) {
            if (properties.privateKeyPem() == null || properties.privateKeyPem().isBlank()) {
                throw new IllegalArgumentException("iot.policy.ca.certificate-pem needs iot.policy.ca.private-key-pem");
            }
            this.certificate = Pki.parseCertificate(properties.certificatePem());
            this.privateKey = Pki.parsePrivateKey(properties.privateKeyPem());
            this.certificateId = Pki.certificateId(certificate);
            tx.executeWithoutResult(status -> {
                jdbc.sql("SELECT pg_advisory_xact_lock(:lock)").param("lock", GENERATION_LOCK).query().singleRow();
                jdbc.sql("INSERT INTO platform_ca (certificate_id, pem, private_key_encrypted) VALUES (:id, :pem, NULL) "
                                + "ON CONFLICT (singleton) DO UPDATE SET certificate_id = :id, pem = :pem, "
                                + "private_key_encrypted = NULL")
                        .param("id", certificateId).param("pem", Pki.toPem(certificate)).update();
            });
            log.info("platform CA supplied by configuration: {}", certificateId);
            return;
        }
        Stored stored = tx.execute(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(:lock)").param("lock", GENERATION_LOCK).query().singleRow();
            Optional<Stored> existing = jdbc.sql("SELECT pem, private_key_encrypted FROM platform_ca")
                    .query((rs, row) -> new Stored(rs.getString(1), rs.getBytes(2))).optional();
            if (existing.isPresent() && existing.get().privateKey() != null) {
                return existing.get();
            }
            KeyPair keys = Pki.newRsaKeyPair();
            Instant now = clock.instant();
            X509Certificate ca = Pki.selfSignedCa(keys, properties.subject(), now.minus(Duration.ofHours(1)),
                    now.plus(Duration.ofDays(365L * 30)));
            String pem = Pki.toPem(ca);
            byte[] encrypted = cipher.encrypt(keys.getPrivate().getEncoded());
            jdbc.sql("INSERT INTO platform_ca (certificate_id, pem, private_key_encrypted) VALUES (:id, :pem, :key) "
                            + "ON CONFLICT (singleton) DO UPDATE SET certificate_id = :id, pem = :pem, "
                            + "private_key_encrypted = :key")
                    .param("id", Pki.certificateId(ca)).param("pem", pem).param("key", encrypted).update();
            log.info("platform CA generated: {}", Pki.certificateId(ca));
            return new Stored(pem, encrypted);
        });
        this.certificate = Pki.parseCertificate(stored.pem());
        this.certificateId = Pki.certificateId(certificate);
        try {
            this.privateKey = java.security.KeyFactory.getInstance("RSA").generatePrivate(
                    new java.security.spec.PKCS8EncodedKeySpec(cipher.decrypt(stored.privateKey())));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the platform CA's private key cannot be read", e);
        }
    }

    private record Stored(String pem, byte[] privateKey) {
    }

    X509Certificate certificate() {
        return certificate;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    String certificateId() {
        return certificateId;
    }

    String pem() {
        return Pki.toPem(certificate);
    }
}
