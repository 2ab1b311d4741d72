package io.openiot.policy.certificate;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code iot.policy.ca.*}: the platform CA. Without {@code certificate-pem} and {@code private-key-pem} a CA is
 * generated on the first start and kept in the database (private key encrypted with the master key).
 *
 * @param certificatePem an operator's CA certificate (PEM); needs {@code privateKeyPem}
 * @param privateKeyPem  its private key (PKCS#1 or PKCS#8 PEM), never stored
 * @param subject        subject of a generated CA
 */
@ConfigurationProperties("iot.policy.ca")
record PlatformCaProperties(String certificatePem, String privateKeyPem,
        @DefaultValue("CN=OpenIoT Platform CA,O=OpenIoT") String subject) {

    boolean supplied() {
        return certificatePem != null && !certificatePem.isBlank();
    }

    @Override
    public String toString() {
        return "PlatformCaProperties[subject=" + subject + ", supplied=" + supplied() + "]";
    }
}
