package io.openiot.policy;

import static io.openiot.policy.PolicyTestCredentials.json;
import static io.openiot.testsupport.ServiceEndpoints.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.openiot.policy.certificate.domain.Pki;
import io.openiot.testsupport.TestInfrastructure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** Certificates, CA certificates, policies, attachments, test-authorization and the gateway's look-up over HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {PolicyApplication.CONFIG_NAME, PolicyTestCredentials.MASTER_KEY,
                "iot.policy.bootstrap.admin-client-id=" + PolicyTestCredentials.ADMIN_ID,
                "iot.policy.bootstrap.admin-client-secret=" + PolicyTestCredentials.ADMIN_SECRET,
                "iot.policy.bootstrap.service-client-id=" + PolicyTestCredentials.SERVICE_ID,
                "iot.policy.bootstrap.service-client-secret=" + PolicyTestCredentials.SERVICE_SECRET})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CertificatesAndPoliciesApiTest {

    static final String ALLOW_LAMP = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:Publish",\
            "Resource":"arn:aws:iot:us-east-1:000000000000:topic/lamps/${iot:ClientId}/*"},\
            {"Effect":"Deny","Action":"iot:Publish","Resource":"arn:aws:iot:us-east-1:000000000000:topic/lamps/*/admin"}]}""";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "policy");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    RestClient admin;
    RestClient services;
    RestClient anonymous;

    @BeforeEach
    void clients() throws Exception {
        admin = as(PolicyTestCredentials.adminToken(port));
        services = as(PolicyTestCredentials.serviceToken(port));
        anonymous = as(null);
    }

    RestClient as(String token) {
        RestClient.Builder builder = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { });
        if (token != null) {
            builder.defaultHeader("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    ResponseEntity<String> post(String uri, String body) {
        return admin.post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(body == null ? "{}" : body)
                .retrieve().toEntity(String.class);
    }

    JsonNode ok(ResponseEntity<String> response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(HttpStatus.OK);
        return response.getBody() == null || response.getBody().isEmpty() ? null : json(response.getBody());
    }

    /** {@code text} as a JSON string literal. */
    static String quoted(String text) {
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(text);
    }

    static String encoded(String arn) {
        return URLEncoder.encode(arn, StandardCharsets.UTF_8);
    }

    @Test
    void platformCaIsPublishedOpenlyAndSignsCertificatesWithItsKeyEncryptedAtRest() throws Exception {
        JsonNode ca = ok(anonymous.get().uri("/platform-ca").retrieve().toEntity(String.class));
        X509Certificate caCertificate = Pki.parseCertificate(ca.path("certificatePem").asString());
        assertThat(ca.path("certificateId").asString()).isEqualTo(Pki.certificateId(caCertificate));
        assertThat(caCertificate.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        String pemOnly = anonymous.get().uri("/platform-ca").accept(MediaType.parseMediaType("application/x-pem-file"))
                .retrieve().body(String.class);
        assertThat(pemOnly).startsWith("-----BEGIN CERTIFICATE-----");

        byte[] stored = jdbc.queryForObject("SELECT private_key_encrypted FROM platform_ca", byte[].class);
        assertThat(stored).isNotNull();
        // not a readable PKCS#8 key without the master key
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(stored)))).isNotNull();

        JsonNode created = ok(post("/keys-and-certificate?setAsActive=true", null));
        X509Certificate device = Pki.parseCertificate(created.path("certificatePem").asString());
        assertThat(Pki.isSignedBy(device, caCertificate)).isTrue();
    }

    @Test
    void createsKeysAndCertificateReturningThePrivateKeyOnceWithAwsIdAndArn() {
        JsonNode created = ok(post("/keys-and-certificate?setAsActive=true", null));
        String id = created.path("certificateId").asString();
        X509Certificate certificate = Pki.parseCertificate(created.path("certificatePem").asString());

        assertThat(id).isEqualTo(Pki.certificateId(certificate)).matches("[0-9a-f]{64}");
        assertThat(created.path("certificateArn").asString()).isEqualTo("arn:aws:iot:us-east-1:000000000000:cert/" + id);
        String privateKey = created.path("keyPair").path("PrivateKey").asString();
        assertThat(privateKey).contains("PRIVATE KEY");
        assertThat(created.path("keyPair").path("PublicKey").asString()).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(((java.security.interfaces.RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength())
                .isEqualTo(2048);

        JsonNode described = ok(admin.get().uri("/certificates/{id}", id).retrieve().toEntity(String.class))
                .path("certificateDescription");
        assertThat(described.path("status").asString()).isEqualTo("ACTIVE");
        assertThat(described.path("certificatePem").asString()).isEqualTo(created.path("certificatePem").asString());
        assertThat(described.path("creationDate").isNumber()).isTrue();
        assertThat(described.toString()).doesNotContain("PRIVATE");
        String keyBody = privateKey.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM certificate WHERE pem LIKE ?", Integer.class,
                "%" + keyBody + "%")).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE payload::text LIKE ?", Integer.class,
                "%" + keyBody + "%")).isZero();

        JsonNode inactive = ok(post("/keys-and-certificate", null));
        assertThat(ok(admin.get().uri("/certificates/{id}", inactive.path("certificateId").asString()).retrieve()
                .toEntity(String.class)).path("certificateDescription").path("status").asString())
                .isEqualTo("INACTIVE");
    }

    @Test
    void createsCertificateFromCsrWithTheRequestsKeyAndSubject() throws Exception {
        KeyPair keys = Pki.newRsaKeyPair();
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                new X500Principal("CN=lamp-7,O=Example"), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
        JsonNode created = ok(post("/certificates?setAsActive=true",
                "{\"certificateSigningRequest\":" + quoted(Pki.toPem(csr)) + "}"));
        X509Certificate certificate = Pki.parseCertificate(created.path("certificatePem").asString());

        assertThat(certificate.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=lamp-7");
        assertProblem(post("/certificates", "{\"certificateSigningRequest\":\"not a csr\"}"), HttpStatus.BAD_REQUEST,
                "InvalidRequestException");
    }

    @Test
    void certificateStatusFollowsAwsRulesAndDeletionNeedsInactiveAndUnattached() {
        String id = ok(post("/keys-and-certificate?setAsActive=true", null)).path("certificateId").asString();
        String arn = "arn:aws:iot:us-east-1:000000000000:cert/" + id;

        assertProblem(admin.delete().uri("/certificates/{id}", id).retrieve().toEntity(String.class),
                HttpStatus.NOT_ACCEPTABLE, "CertificateStateException");
        ok(admin.put().uri("/certificates/{id}?newStatus=INACTIVE", id).retrieve().toEntity(String.class));
        ok(post("/policies/delete-guard", "{\"policyDocument\":" + quoted(ALLOW_LAMP) + "}"));
        ok(admin.put().uri("/target-policies/delete-guard").contentType(MediaType.APPLICATION_JSON)
                .body("{\"target\":\"" + arn + "\"}").retrieve().toEntity(String.class));
        assertProblem(admin.delete().uri("/certificates/{id}", id).retrieve().toEntity(String.class),
                HttpStatus.CONFLICT, "DeleteConflictException");
        ok(post("/target-policies/delete-guard", "{\"target\":\"" + arn + "\"}"));

        ok(admin.put().uri("/certificates/{id}?newStatus=REVOKED", id).retrieve().toEntity(String.class));
        assertProblem(admin.put().uri("/certificates/{id}?newStatus=ACTIVE", id).retrieve().toEntity(String.class),
                HttpStatus.NOT_ACCEPTABLE, "CertificateStateException");
        assertProblem(admin.put().uri("/certificates/{id}?newStatus=PENDING_TRANSFER", id).retrieve()
                .toEntity(String.class), HttpStatus.BAD_REQUEST, "InvalidRequestException");

        ok(admin.delete().uri("/certificates/{id}", id).retrieve().toEntity(String.class));
        assertProblem(admin.get().uri("/certificates/{id}", id).retrieve().toEntity(String.class),
                HttpStatus.NOT_FOUND, "ResourceNotFoundException");
        assertProblem(admin.put().uri("/certificates/{id}?newStatus=ACTIVE", "0".repeat(64)).retrieve()
                .toEntity(String.class), HttpStatus.NOT_FOUND, "ResourceNotFoundException");
    }

    @Test
    void listsCertificatesInPagesInEitherOrder() {
        for (int i = 0; i < 3; i++) {
            ok(post("/keys-and-certificate", null));
        }
        JsonNode first = ok(admin.get().uri("/certificates?pageSize=2&ascendingOrder=true").retrieve()
                .toEntity(String.class));
        assertThat(first.path("certificates")).hasSize(2);
        String marker = first.path("nextMarker").asString();
        assertThat(marker).isNotBlank();
        JsonNode second = ok(admin.get().uri("/certificates?pageSize=2&ascendingOrder=true&marker={m}", marker)
                .retrieve().toEntity(String.class));
        assertThat(second.path("certificates").get(0).path("certificateId").asString())
                .isNotEqualTo(first.path("certificates").get(1).path("certificateId").asString());
        double a = first.path("certificates").get(0).path("creationDate").asDouble();
        double b = first.path("certificates").get(1).path("creationDate").asDouble();
        assertThat(a).isLessThanOrEqualTo(b);
        JsonNode newest = ok(admin.get().uri("/certificates?pageSize=1").retrieve().toEntity(String.class));
        assertThat(newest.path("certificates").get(0).path("creationDate").asDouble())
                .isGreaterThanOrEqualTo(b);
        assertThat(admin.get().uri("/certificates").header("Authorization", "Bearer nonsense").retrieve()
                .toBodilessEntity().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void registersACaWithItsVerificationCertificateThenDevicesItSignedWithAndWithoutCa() {
        Instant now = Instant.now();
        KeyPair caKeys = Pki.newRsaKeyPair();
        X509Certificate ca = Pki.selfSignedCa(caKeys, "CN=Fleet CA " + now.toEpochMilli(), now.minusSeconds(60),
                now.plus(Duration.ofDays(365)));
        String code = ok(admin.get().uri("/registrationcode").retrieve().toEntity(String.class))
                .path("registrationCode").asString();
        X509Certificate verification = Pki.issue(ca, caKeys.getPrivate(), Pki.newRsaKeyPair().getPublic(),
                "CN=" + code, now.minusSeconds(60), now.plus(Duration.ofDays(1)));
        X509Certificate wrongCode = Pki.issue(ca, caKeys.getPrivate(), Pki.newRsaKeyPair().getPublic(),
                "CN=not-the-code", now.minusSeconds(60), now.plus(Duration.ofDays(1)));

        assertProblem(post("/cacertificate?setAsActive=true", "{\"caCertificate\":" + quoted(Pki.toPem(ca))
                + ",\"verificationCertificate\":" + quoted(Pki.toPem(wrongCode)) + "}"), HttpStatus.BAD_REQUEST,
                "CertificateValidationException");
        JsonNode registered = ok(post("/cacertificate?setAsActive=true&allowAutoRegistration=true",
                "{\"caCertificate\":" + quoted(Pki.toPem(ca)) + ",\"verificationCertificate\":"
                        + quoted(Pki.toPem(verification)) + "}"));
        String caId = registered.path("certificateId").asString();
        assertThat(caId).isEqualTo(Pki.certificateId(ca));
        assertThat(registered.path("certificateArn").asString()).endsWith(":cacert/" + caId);
        JsonNode described = ok(admin.get().uri("/cacertificate/{id}", caId).retrieve().toEntity(String.class));
        assertThat(described.path("certificateDescription").path("status").asString()).isEqualTo("ACTIVE");
        assertThat(described.path("certificateDescription").path("autoRegistrationStatus").asString())
                .isEqualTo("ENABLE");
        assertThat(ok(admin.get().uri("/cacertificates").retrieve().toEntity(String.class)).toString()).contains(caId);

        X509Certificate device = Pki.issue(ca, caKeys.getPrivate(), Pki.newRsaKeyPair().getPublic(), "CN=dev-1",
                now.minusSeconds(60), now.plus(Duration.ofDays(30)));
        JsonNode deviceRegistered = ok(post("/certificate/register?setAsActive=true",
                "{\"certificatePem\":" + quoted(Pki.toPem(device)) + ",\"caCertificatePem\":" + quoted(Pki.toPem(ca))
                        + "}"));
        String deviceId = deviceRegistered.path("certificateId").asString();
        assertThat(deviceId).isEqualTo(Pki.certificateId(device));
        JsonNode deviceDescription = ok(admin.get().uri("/certificates/{id}", deviceId).retrieve()
                .toEntity(String.class)).path("certificateDescription");
        assertThat(deviceDescription.path("caCertificateId").asString()).isEqualTo(caId);
        assertThat(deviceDescription.path("status").asString()).isEqualTo("ACTIVE");
        assertProblem(post("/certificate/register", "{\"certificatePem\":" + quoted(Pki.toPem(device)) + "}"),
                HttpStatus.CONFLICT, "ResourceAlreadyExistsException");
        assertThat(ok(admin.get().uri("/certificates-by-ca/{id}", caId).retrieve().toEntity(String.class))
                .path("certificates").get(0).path("certificateId").asString()).isEqualTo(deviceId);

        // an unknown CA: refused with CA, accepted without (SNI_ONLY)
        KeyPair otherKeys = Pki.newRsaKeyPair();
        X509Certificate otherCa = Pki.selfSignedCa(otherKeys, "CN=Unknown CA", now.minusSeconds(60),
                now.plus(Duration.ofDays(30)));
        X509Certificate stranger = Pki.issue(otherCa, otherKeys.getPrivate(), Pki.newRsaKeyPair().getPublic(),
                "CN=stranger", now.minusSeconds(60), now.plus(Duration.ofDays(30)));
        assertProblem(post("/certificate/register", "{\"certificatePem\":" + quoted(Pki.toPem(stranger)) + "}"),
                HttpStatus.BAD_REQUEST, "CertificateValidationException");
        JsonNode noCa = ok(post("/certificate/register-no-ca", "{\"certificatePem\":" + quoted(Pki.toPem(stranger))
                + ",\"status\":\"ACTIVE\"}"));
        assertThat(ok(admin.get().uri("/certificates/{id}", noCa.path("certificateId").asString()).retrieve()
                .toEntity(String.class)).path("certificateDescription").path("certificateMode").asString())
                .isEqualTo("SNI_ONLY");

        assertProblem(admin.delete().uri("/cacertificate/{id}", caId).retrieve().toEntity(String.class),
                HttpStatus.NOT_ACCEPTABLE, "CertificateStateException");
        ok(admin.put().uri("/cacertificate/{id}?newStatus=INACTIVE&newAutoRegistrationStatus=DISABLE", caId)
                .retrieve().toEntity(String.class));
        // the gateway sees the CA's status beside the certificate's
        JsonNode principal = ok(services.get().uri("/internal/principals/{id}", deviceId).retrieve()
                .toEntity(String.class));
        assertThat(principal.path("status").asString()).isEqualTo("ACTIVE");
        assertThat(principal.path("caCertificateStatus").asString()).isEqualTo("INACTIVE");
        assertProblem(admin.delete().uri("/cacertificate/{id}", caId).retrieve().toEntity(String.class),
                HttpStatus.CONFLICT, "DeleteConflictException");
        ok(admin.put().uri("/certificates/{id}?newStatus=INACTIVE", deviceId).retrieve().toEntity(String.class));
        ok(admin.delete().uri("/certificates/{id}", deviceId).retrieve().toEntity(String.class));
        ok(admin.delete().uri("/cacertificate/{id}", caId).retrieve().toEntity(String.class));
        assertProblem(admin.get().uri("/cacertificate/{id}", caId).retrieve().toEntity(String.class),
                HttpStatus.NOT_FOUND, "ResourceNotFoundException");
    }

    @Test
    void policiesHaveAtMostFiveVersionsOneDefaultAndRefuseMalformedDocumentsWithTheReason() {
        JsonNode created = ok(post("/policies/lamp-policy", "{\"policyDocument\":" + quoted(ALLOW_LAMP) + "}"));
        assertThat(created.path("policyVersionId").asString()).isEqualTo("1");
        assertThat(created.path("policyArn").asString()).isEqualTo("arn:aws:iot:us-east-1:000000000000:policy/lamp-policy");
        assertThat(created.path("policyDocument").asString()).isEqualTo(ALLOW_LAMP);
        assertProblem(post("/policies/lamp-policy", "{\"policyDocument\":" + quoted(ALLOW_LAMP) + "}"),
                HttpStatus.CONFLICT, "ResourceAlreadyExistsException");
        JsonNode malformed = assertProblem(post("/policies/bad", "{\"policyDocument\":"
                + quoted("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"iot:*\","
                + "\"Resource\":\"*\"}]}") + "}"), HttpStatus.BAD_REQUEST, "MalformedPolicyException");
        assertThat(malformed.path("message").asString()).contains("Effect");
        assertProblem(admin.get().uri("/policies/bad").retrieve().toEntity(String.class), HttpStatus.NOT_FOUND,
                "ResourceNotFoundException");

        for (int v = 2; v <= 5; v++) {
            JsonNode version = ok(post("/policies/lamp-policy/version?setAsDefault=" + (v == 3), "{\"policyDocument\":"
                    + quoted(ALLOW_LAMP.replace("*/admin", "*/admin" + v)) + "}"));
            assertThat(version.path("policyVersionId").asString()).isEqualTo(Integer.toString(v));
        }
        assertProblem(post("/policies/lamp-policy/version", "{\"policyDocument\":" + quoted(ALLOW_LAMP) + "}"),
                HttpStatus.CONFLICT, "VersionsLimitExceededException");
        assertThat(ok(admin.get().uri("/policies/lamp-policy").retrieve().toEntity(String.class))
                .path("defaultVersionId").asString()).isEqualTo("3");
        JsonNode versions = ok(admin.get().uri("/policies/lamp-policy/version").retrieve().toEntity(String.class));
        assertThat(versions.path("policyVersions")).hasSize(5);

        ok(admin.patch().uri("/policies/lamp-policy/version/5").retrieve().toEntity(String.class));
        assertThat(ok(admin.get().uri("/policies/lamp-policy/version/5").retrieve().toEntity(String.class))
                .path("isDefaultVersion").asBoolean()).isTrue();
        assertProblem(admin.delete().uri("/policies/lamp-policy/version/5").retrieve().toEntity(String.class),
                HttpStatus.CONFLICT, "DeleteConflictException");
        assertProblem(admin.delete().uri("/policies/lamp-policy").retrieve().toEntity(String.class),
                HttpStatus.CONFLICT, "DeleteConflictException");
        for (String v : new String[] {"1", "2", "3", "4"}) {
            ok(admin.delete().uri("/policies/lamp-policy/version/" + v).retrieve().toEntity(String.class));
        }
        // ids are never reused
        assertThat(ok(post("/policies/lamp-policy/version", "{\"policyDocument\":" + quoted(ALLOW_LAMP) + "}"))
                .path("policyVersionId").asString()).isEqualTo("6");
        ok(admin.delete().uri("/policies/lamp-policy/version/6").retrieve().toEntity(String.class));
        assertThat(ok(admin.get().uri("/policies?pageSize=250").retrieve().toEntity(String.class)).toString())
                .contains("lamp-policy");
        ok(admin.delete().uri("/policies/lamp-policy").retrieve().toEntity(String.class));
        assertProblem(admin.get().uri("/policies/lamp-policy").retrieve().toEntity(String.class),
                HttpStatus.NOT_FOUND, "ResourceNotFoundException");
    }

    @Test
    void attachesPoliciesToCertificatesAndGroupsAndTheGatewayLooksThemUp() {
        String id = ok(post("/keys-and-certificate?setAsActive=true", null)).path("certificateId").asString();
        String arn = "arn:aws:iot:us-east-1:000000000000:cert/" + id;
        String group = "arn:aws:iot:us-east-1:000000000000:thinggroup/lamps";
        ok(post("/policies/attach-a", "{\"policyDocument\":" + quoted(ALLOW_LAMP) + "}"));
        ok(post("/policies/attach-b", "{\"policyDocument\":" + quoted(ALLOW_LAMP) + "}"));

        for (String policy : new String[] {"attach-a", "attach-b"}) {
            ok(admin.put().uri("/target-policies/" + policy).contentType(MediaType.APPLICATION_JSON)
                    .body("{\"target\":\"" + arn + "\"}").retrieve().toEntity(String.class));
        }
        ok(admin.put().uri("/target-policies/attach-a").contentType(MediaType.APPLICATION_JSON)
                .body("{\"target\":\"" + group + "\"}").retrieve().toEntity(String.class));
        assertProblem(admin.put().uri("/target-policies/missing").contentType(MediaType.APPLICATION_JSON)
                .body("{\"target\":\"" + arn + "\"}").retrieve().toEntity(String.class), HttpStatus.NOT_FOUND,
                "ResourceNotFoundException");
        assertProblem(admin.put().uri("/target-policies/attach-a").contentType(MediaType.APPLICATION_JSON)
                .body("{\"target\":\"arn:aws:iot:us-east-1:000000000000:cert/" + "f".repeat(64) + "\"}").retrieve()
                .toEntity(String.class), HttpStatus.NOT_FOUND, "ResourceNotFoundException");

        JsonNode attached = ok(admin.get().uri(java.net.URI.create("http://localhost:" + port + "/attached-policies/"
                + encoded(arn))).retrieve().toEntity(String.class));
        assertThat(attached.path("policies").findValuesAsString("policyName")).containsExactly("attach-a", "attach-b");
        assertThat(ok(admin.get().uri("/policy-targets/attach-a").retrieve().toEntity(String.class))
                .path("targets").toString()).contains(arn, group);
        assertProblem(admin.delete().uri("/policies/attach-a").retrieve().toEntity(String.class),
                HttpStatus.CONFLICT, "DeleteConflictException");

        // the connect-time look-up: internal scope only
        assertThat(admin.get().uri("/internal/principals/{id}", id).retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        JsonNode principal = ok(services.get().uri("/internal/principals/{id}", id).retrieve().toEntity(String.class));
        assertThat(principal.path("status").asString()).isEqualTo("ACTIVE");
        assertThat(principal.path("caCertificateStatus").isNull()).isTrue();
        assertThat(principal.path("policies").findValuesAsString("policyName")).containsExactly("attach-a", "attach-b");
        assertThat(principal.path("policies").get(0).path("policyDocument").asString()).isEqualTo(ALLOW_LAMP);
        assertThat(principal.path("thingGroupPolicies")).isEmpty();
        assertProblem(services.get().uri("/internal/principals/{id}", "e".repeat(64)).retrieve()
                .toEntity(String.class), HttpStatus.NOT_FOUND, "ResourceNotFoundException");

        ok(post("/target-policies/attach-b", "{\"target\":\"" + arn + "\"}"));
        assertThat(ok(services.get().uri("/internal/principals/{id}", id).retrieve().toEntity(String.class))
                .path("policies").findValuesAsString("policyName")).containsExactly("attach-a");
    }

    @Test
    void testAuthorizationNamesTheAllowingAndDenyingPoliciesWithAwsDecisions() {
        String id = ok(post("/keys-and-certificate?setAsActive=true", null)).path("certificateId").asString();
        String arn = "arn:aws:iot:us-east-1:000000000000:cert/" + id;
        ok(post("/policies/auth-test", "{\"policyDocument\":" + quoted(ALLOW_LAMP) + "}"));
        ok(admin.put().uri("/target-policies/auth-test").contentType(MediaType.APPLICATION_JSON)
                .body("{\"target\":\"" + arn + "\"}").retrieve().toEntity(String.class));
        String topic = "arn:aws:iot:us-east-1:000000000000:topic/lamps/lamp-1/";

        JsonNode results = ok(post("/test-authorization?clientId=lamp-1", "{\"principal\":\"" + arn + "\","
                + "\"authInfos\":[{\"actionType\":\"PUBLISH\",\"resources\":[\"" + topic + "state\"]},"
                + "{\"actionType\":\"PUBLISH\",\"resources\":[\"" + topic + "admin\"]},"
                + "{\"actionType\":\"SUBSCRIBE\",\"resources\":[\"arn:aws:iot:us-east-1:000000000000:topicfilter/x\"]}"
                + "]}")).path("authResults");

        assertThat(results.get(0).path("authDecision").asString()).isEqualTo("ALLOWED");
        assertThat(results.get(0).path("allowed").path("policies").get(0).path("policyName").asString())
                .isEqualTo("auth-test");
        assertThat(results.get(1).path("authDecision").asString()).isEqualTo("EXPLICIT_DENY");
        assertThat(results.get(1).path("denied").path("explicitDeny").path("policies").get(0).path("policyName")
                .asString()).isEqualTo("auth-test");
        assertThat(results.get(2).path("authDecision").asString()).isEqualTo("IMPLICIT_DENY");
        assertThat(results.get(0).path("authInfo").path("actionType").asString()).isEqualTo("PUBLISH");

        JsonNode skipped = ok(post("/test-authorization?clientId=lamp-1", "{\"principal\":\"" + arn + "\","
                + "\"policyNamesToSkip\":[\"auth-test\"],"
                + "\"authInfos\":[{\"actionType\":\"PUBLISH\",\"resources\":[\"" + topic + "state\"]}]}"));
        assertThat(skipped.path("authResults").get(0).path("authDecision").asString()).isEqualTo("IMPLICIT_DENY");
    }

    @Test
    void registersACertificateOfAnAutoRegistrationCaJustInTimeAndPublishesAwsRegisteredEvent() throws Exception {
        Instant now = Instant.now();
        KeyPair caKeys = Pki.newRsaKeyPair();
        X509Certificate ca = Pki.selfSignedCa(caKeys, "CN=JITR CA " + now.toEpochMilli(), now.minusSeconds(60),
                now.plus(Duration.ofDays(365)));
        String caId = ok(post("/cacertificate?setAsActive=true&allowAutoRegistration=true",
                "{\"caCertificate\":" + quoted(Pki.toPem(ca)) + ",\"certificateMode\":\"SNI_ONLY\"}"))
                .path("certificateId").asString();
        X509Certificate device = Pki.issue(ca, caKeys.getPrivate(), Pki.newRsaKeyPair().getPublic(), "CN=jit-1",
                now.minusSeconds(60), now.plus(Duration.ofDays(30)));
        String body = "{\"certificatePem\":" + quoted(Pki.toPem(device)) + "}";
        String topic = "$aws/events/certificates/registered/" + caId;

        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> consumer =
                new org.apache.kafka.clients.consumer.KafkaConsumer<>(java.util.Map.of(
                        "bootstrap.servers", io.openiot.testsupport.EmbeddedKafkaServer.bootstrapServers(),
                        "group.id", "jitr-" + java.util.UUID.randomUUID(), "auto.offset.reset", "earliest"),
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        new org.apache.kafka.common.serialization.StringDeserializer())) {
            consumer.subscribe(java.util.List.of(io.openiot.contracts.KafkaTopics.MESSAGES));
            assertProblem(services.post().uri("/internal/principals/jit-registration")
                    .contentType(MediaType.APPLICATION_JSON).body("{\"certificatePem\":" + quoted(Pki.toPem(
                            Pki.selfSignedCa(Pki.newRsaKeyPair(), "CN=nobody", now, now.plusSeconds(600)))) + "}")
                    .retrieve().toEntity(String.class), HttpStatus.NOT_FOUND, "ResourceNotFoundException");

            ResponseEntity<String> first = services.post().uri("/internal/principals/jit-registration")
                    .contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
            assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(HttpStatus.CREATED);
            assertThat(json(first.getBody()).path("status").asString()).isEqualTo("PENDING_ACTIVATION");
            assertThat(json(first.getBody()).path("caCertificateId").asString()).isEqualTo(caId);
            assertThat(services.post().uri("/internal/principals/jit-registration")
                    .contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class)
                    .getStatusCode()).isEqualTo(HttpStatus.OK);

            java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> received =
                    new java.util.ArrayList<>();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (topic.equals(r.key())) {
                        received.add(r);
                    }
                });
                return !received.isEmpty();
            });
            JsonNode event = json(received.get(0).value());
            assertThat(event.path("certificateId").asString()).isEqualTo(Pki.certificateId(device));
            assertThat(event.path("caCertificateId").asString()).isEqualTo(caId);
            assertThat(event.path("certificateStatus").asString()).isEqualTo("PENDING_ACTIVATION");
            assertThat(event.path("awsAccountId").asString()).isEqualTo("000000000000");
            assertThat(new String(received.get(0).headers().lastHeader(
                    io.openiot.contracts.MessageHeaders.MQTT_TOPIC).value(), StandardCharsets.UTF_8)).isEqualTo(topic);
            assertThat(received.get(0).headers().lastHeader(io.openiot.contracts.MessageHeaders.MESSAGE_ID))
                    .isNotNull();
        }
    }
}
