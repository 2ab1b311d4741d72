package io.openiot.policy.certificate.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class PkiTest {

    private static final Instant NOW = Instant.parse("2026-12-02T00:00:00Z");

    private final KeyPair caKeys = Pki.newRsaKeyPair();
    private final X509Certificate ca = Pki.selfSignedCa(caKeys, "CN=Test CA", NOW, NOW.plus(Duration.ofDays(10)));

    @Test
    void certificateIdIsTheSha256OfTheDerInLowerCaseHex() throws Exception {
        assertThat(Pki.certificateId(ca)).isEqualTo(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca.getEncoded())));
        assertThat(Pki.certificateId(Pki.parseCertificate(Pki.toPem(ca)))).isEqualTo(Pki.certificateId(ca));
    }

    @Test
    void issuesEndEntityCertificatesThatVerifyWithTheCaOnly() {
        KeyPair device = Pki.newRsaKeyPair();
        X509Certificate issued = Pki.issue(ca, caKeys.getPrivate(), device.getPublic(), "CN=AWS IoT Certificate",
                NOW, NOW.plus(Duration.ofDays(1)));

        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(issued.getBasicConstraints()).isEqualTo(-1);
        assertThat(issued.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(Pki.isSignedBy(issued, ca)).isTrue();
        assertThat(Pki.isSignedBy(issued, Pki.selfSignedCa(Pki.newRsaKeyPair(), "CN=Test CA", NOW,
                NOW.plus(Duration.ofDays(1))))).isFalse();
    }

    @Test
    void readsCsrsAndPrivateKeysAndRefusesOtherPem() throws Exception {
        KeyPair keys = Pki.newRsaKeyPair();
        String csr = Pki.toPem(new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=lamp"), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));

        Pki.SigningRequest request = Pki.parseCsr(csr);
        assertThat(request.publicKey()).isEqualTo(keys.getPublic());
        assertThat(request.subject()).isEqualTo("CN=lamp");
        assertThat(Pki.parsePrivateKey(Pki.toPem(keys.getPrivate()))).isEqualTo(keys.getPrivate());
        assertThatThrownBy(() -> Pki.parseCsr(Pki.toPem(ca))).isInstanceOf(Pki.InvalidCertificateException.class);
        assertThatThrownBy(() -> Pki.parseCertificate("garbage")).isInstanceOf(Pki.InvalidCertificateException.class);
    }
}
