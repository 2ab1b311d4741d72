package io.openiot.policylang;

import static io.openiot.policylang.Policies.ARN;
import static io.openiot.policylang.Policies.compile;
import static io.openiot.policylang.Policies.device;
import static io.openiot.policylang.Policies.json;
import static io.openiot.policylang.Policies.policy;
import static io.openiot.policylang.Policies.statement;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Certificate policy variables from a real certificate (test resource {@code device-certificate.pem}, made with
 * OpenSSL after AWS's example: subject C=US, C=CA, O=IoT Devices, OU=LightBulb, ST=NY, CN=LightBulb Device Cert,
 * GN, initials, dnQualifier, SN, title, pseudonym, generationQualifier, serialNumber; SANs of each kind; serial
 * 0x921285cbb7a5e086; signed by CN=IoT Devices Primary CA).
 */
class CertificateVariablesTest {

    private static X509Certificate certificate;
    private static PrincipalContext context;

    @BeforeAll
    static void readCertificate() throws Exception {
        try (InputStream in = CertificateVariablesTest.class.getResourceAsStream("/device-certificate.pem")) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        context = device("bulb1").certificate(PrincipalContext.CertificateInfo.of(certificate)).build();
    }

    @Test
    void readsTheCertificateFields() {
        PrincipalContext.CertificateInfo info = context.certificate();

        assertThat(info.certificateId())
                .isEqualTo("b4021f1e03d6809fbcbcfa4db828366cb1ce6171363506e7affe380f069cc0fb");
        assertThat(info.serialNumber()).isEqualTo("921285cbb7a5e086");
        assertThat(info.notBefore()).isEqualTo(certificate.getNotBefore().toInstant());
        assertThat(info.subject().get("country")).containsExactly("US", "CA");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "iot:Certificate.Subject.CommonName|LightBulb Device Cert",
        "iot:Certificate.Subject.Country|US",
        "iot:Certificate.Subject.Country[2]|CA",
        "iot:Certificate.Subject.Organization|IoT Devices",
        "iot:Certificate.Subject.OrganizationalUnit|LightBulb",
        "iot:Certificate.Subject.State|NY",
        "iot:Certificate.Subject.GivenName|Bulb",
        "iot:Certificate.Subject.Initials|ZZ",
        "iot:Certificate.Subject.DistinguishedNameQualifier|Bulb001",
        "iot:Certificate.Subject.Surname|Multi Color",
        "iot:Certificate.Subject.Title|RGB",
        "iot:Certificate.Subject.Pseudonym|RGB Device",
        "iot:Certificate.Subject.GenerationQualifier|4",
        "iot:Certificate.Subject.SerialNumber|123",
        "iot:Certificate.Issuer.CommonName|IoT Devices Primary CA",
        "iot:Certificate.Issuer.OrganizationalUnit|SmartHome",
        "iot:Certificate.SubjectAlternativeName.DNSName|bulb1.example.com",
        "iot:Certificate.SubjectAlternativeName.DNSName[2]|bulb1.local",
        "iot:Certificate.SubjectAlternativeName.RFC822Name|bulb1@example.com",
        "iot:Certificate.SubjectAlternativeName.IPAddress|10.0.0.7",
        "iot:Certificate.SubjectAlternativeName.UniformResourceIdentifier|urn:bulb:1",
        "iot:Certificate.SerialNumber|921285cbb7a5e086",
        "iot:Certificate.Validity.NotBefore|2026-12-02T01:41:40Z",
        "iot:Certificate.Validity.NotAfter|2036-11-29T01:41:40Z",
        "iot:CertificateId|b4021f1e03d6809fbcbcfa4db828366cb1ce6171363506e7affe380f069cc0fb",
        "iot:Certificate.FingerPrint|b4021f1e03d6809fbcbcfa4db828366cb1ce6171363506e7affe380f069cc0fb"})
    void certificateVariableResolvesInAResource(String variable, String value) {
        String policy = policy(statement("Allow", json("iot:Publish"), json(ARN + "topic/v/${" + variable + "}")));
        CompiledPolicies compiled = compile(context, policy);

        assertThat(compiled.canPublish("v/" + value)).isTrue();
        assertThat(compiled.canPublish("v/other")).isFalse();
    }

    @Test
    void absentFieldOrIndexIsUnresolved() {
        String policy = policy(statement("Allow", json("iot:Publish"), json(
                ARN + "topic/v/${iot:Certificate.Subject.Country[3]}",
                ARN + "topic/w/${iot:Certificate.Issuer.GivenName}",
                ARN + "topic/x/${iot:Certificate.Subject.Country.List}")));
        CompiledPolicies compiled = compile(context, policy);

        assertThat(compiled.statementCount()).isZero();
    }

    @Test
    void certificateValueHoldingAWildcardIsNotSubstituted() {
        // AWS: a certificate attribute with * or ? leaves the variable unreplaced, so it grants nothing
        PrincipalContext.CertificateInfo wild = new PrincipalContext.CertificateInfo("c".repeat(64),
                Map.of("CommonName", List.of("dev*"), "Organization", List.of("A", "B", "C", "D", "E", "F")),
                Map.of(), Map.of(), Map.of(), "01", Instant.EPOCH, Instant.EPOCH);
        PrincipalContext wildContext = device("dev1").certificate(wild).build();
        String byCommonName = policy(statement("Allow", json("iot:Publish"),
                json(ARN + "topic/${iot:Certificate.Subject.CommonName}")));
        String sixthOrganization = policy(statement("Allow", json("iot:Publish"), json(ARN + "topic/o"),
                "{\"ForAnyValue:StringEquals\":{\"iot:Certificate.Subject.Organization.List\":\"F\"}}"));
        String fifthOrganization = policy(statement("Allow", json("iot:Publish"), json(ARN + "topic/o"),
                "{\"ForAnyValue:StringEquals\":{\"iot:Certificate.Subject.Organization.List\":\"E\"}}"));

        assertThat(compile(wildContext, byCommonName).canPublish("dev*")).isFalse();
        assertThat(compile(wildContext, byCommonName).canPublish("dev1")).isFalse();
        // only the first five values of a field count
        assertThat(compile(wildContext, sixthOrganization).canPublish("o")).isFalse();
        assertThat(compile(wildContext, fifthOrganization).canPublish("o")).isTrue();
    }
}
