package io.openiot.policy.certificate.domain;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * X.509 work of the platform CA and the certificates API, on Bouncy Castle: keys, self-signed CA, issuing device
 * certificates from a public key or a CSR, PEM in and out, AWS's certificate id (SHA-256 of the DER, hex).
 * Problems with what a caller sent are {@link InvalidCertificateException}.
 */
public final class Pki {

    private static final String SIGNATURE = "SHA256withRSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Pki() {
    }

    /** Thrown for a PEM, certificate or CSR that cannot be read or does not verify; the message says why. */
    public static final class InvalidCertificateException extends RuntimeException {
        public InvalidCertificateException(String message) {
            super(message);
        }
    }

    public static KeyPair newRsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA certificate (basic constraints CA, key usage keyCertSign and cRLSign). */
    public static X509Certificate selfSignedCa(KeyPair keys, String subject, Instant notBefore, Instant notAfter) {
        X500Name name = new X500Name(subject);
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
                    Date.from(notAfter), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(builder, keys.getPrivate());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A device (end-entity) certificate for {@code publicKey}, signed by the CA. */
    public static X509Certificate issue(X509Certificate ca, PrivateKey caKey, PublicKey publicKey, String subject,
            Instant notBefore, Instant notAfter) {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Principal(subject), publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(ca))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(publicKey));
            return sign(builder, caKey);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSR's public key and subject, after checking its self-signature. */
    public record SigningRequest(PublicKey publicKey, String subject) {
    }

    public static SigningRequest parseCsr(String pem) {
        Object parsed = readPem(pem);
        if (!(parsed instanceof PKCS10CertificationRequest request)) {
            throw new InvalidCertificateException("certificateSigningRequest is not a PEM certificate request");
        }
        try {
            JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(request);
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(
                    request.getSubjectPublicKeyInfo()))) {
                throw new InvalidCertificateException("the certificate request's signature does not verify");
            }
            String subject = request.getSubject().toString();
            return new SigningRequest(jca.getPublicKey(), subject.isEmpty() ? "CN=AWS IoT Certificate" : subject);
        } catch (OperatorCreationException | PKCSException | GeneralSecurityException e) {
            throw new InvalidCertificateException("the certificate request cannot be read: " + e.getMessage());
        }
    }

    public static X509Certificate parseCertificate(String pem) {
        Object parsed = readPem(pem);
        if (!(parsed instanceof X509CertificateHolder holder)) {
            throw new InvalidCertificateException("not a PEM X.509 certificate");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw new InvalidCertificateException("the certificate cannot be read: " + e.getMessage());
        }
    }

    /** A private key in PKCS#1 ({@code RSA PRIVATE KEY}) or PKCS#8 ({@code PRIVATE KEY}) PEM. */
    public static PrivateKey parsePrivateKey(String pem) {
        Object parsed = readPem(pem);
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (parsed instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException e) {
            throw new InvalidCertificateException("the private key cannot be read");
        }
        throw new InvalidCertificateException("not a PEM private key");
    }

    /** True if {@code certificate} carries a valid signature of {@code issuer}'s key. */
    public static boolean isSignedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public static String toPem(Object certificateOrKey) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(certificateOrKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The public key as AWS returns it in {@code keyPair.PublicKey}: SubjectPublicKeyInfo PEM. */
    public static String publicKeyPem(PublicKey key) {
        return toPem(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
    }

    /** AWS's certificate id: SHA-256 of the DER encoding, 64 lower-case hex digits. */
    public static String certificateId(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object readPem(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new InvalidCertificateException("the PEM is empty");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object parsed = parser.readObject();
            if (parsed == null) {
                throw new InvalidCertificateException("no PEM object found");
            }
            return parsed;
        } catch (IOException e) {
            throw new InvalidCertificateException("the PEM cannot be read: " + e.getMessage());
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(159, RANDOM);
    }
}
