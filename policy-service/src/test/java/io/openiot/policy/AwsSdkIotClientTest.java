package io.openiot.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openiot.testsupport.TestInfrastructure;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.signer.Signer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStateException;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.services.iot.model.DeleteConflictException;
import software.amazon.awssdk.services.iot.model.MalformedPolicyException;
import software.amazon.awssdk.services.iot.model.Policy;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.VersionsLimitExceededException;

/**
 * The AWS SDK for Java v2 {@code IotClient}, unchanged, against policy-service. policy-service does not verify
 * Signature V4 yet (the shared web layer will): until then the client's signer is swapped for one that sends the
 * admin client's bearer token; the AWS credentials are the bootstrap admin access key all the same.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {PolicyApplication.CONFIG_NAME, PolicyTestCredentials.MASTER_KEY,
                "iot.policy.bootstrap.admin-client-id=" + PolicyTestCredentials.ADMIN_ID,
                "iot.policy.bootstrap.admin-client-secret=" + PolicyTestCredentials.ADMIN_SECRET,
                "iot.policy.bootstrap.admin-access-key-id=" + PolicyTestCredentials.ADMIN_ACCESS_KEY_ID,
                "iot.policy.bootstrap.admin-access-key-secret-access-key="
                        + PolicyTestCredentials.ADMIN_SECRET_ACCESS_KEY})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AwsSdkIotClientTest {

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfrastructure.register(registry, "policy");
    }

    @LocalServerPort
    int port;

    IotClient iot;

    @BeforeEach
    void client() throws Exception {
        String token = PolicyTestCredentials.adminToken(port);
        Signer bearer = (request, attributes) -> request.toBuilder()
                .putHeader("Authorization", "Bearer " + token).build();
        iot = IotClient.builder().endpointOverride(URI.create("http://localhost:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        PolicyTestCredentials.ADMIN_ACCESS_KEY_ID, PolicyTestCredentials.ADMIN_SECRET_ACCESS_KEY)))
                .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.SIGNER, bearer))
                .build();
    }

    @Test
    void createsDescribesAndUpdatesCertificatesWithAwsErrors() {
        CreateKeysAndCertificateResponse created = iot.createKeysAndCertificate(r -> r.setAsActive(true));
        assertThat(created.certificateId()).matches("[0-9a-f]{64}");
        assertThat(created.certificateArn()).endsWith(":cert/" + created.certificateId());
        assertThat(created.keyPair().privateKey()).contains("PRIVATE KEY");
        assertThat(created.keyPair().publicKey()).contains("PUBLIC KEY");

        var description = iot.describeCertificate(r -> r.certificateId(created.certificateId()))
                .certificateDescription();
        assertThat(description.status()).isEqualTo(CertificateStatus.ACTIVE);
        assertThat(description.certificatePem()).isEqualTo(created.certificatePem());
        assertThat(description.creationDate()).isNotNull();
        assertThat(description.validity().notAfter()).isAfter(description.validity().notBefore());

        iot.updateCertificate(r -> r.certificateId(created.certificateId()).newStatus(CertificateStatus.REVOKED));
        assertThat(iot.describeCertificate(r -> r.certificateId(created.certificateId())).certificateDescription()
                .status()).isEqualTo(CertificateStatus.REVOKED);
        assertThatThrownBy(() -> iot.updateCertificate(r -> r.certificateId(created.certificateId())
                .newStatus(CertificateStatus.ACTIVE))).isInstanceOf(CertificateStateException.class);
        assertThatThrownBy(() -> iot.describeCertificate(r -> r.certificateId("0".repeat(64))))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(iot.listCertificates(r -> r.ascendingOrder(true)).certificates())
                .anySatisfy(c -> assertThat(c.certificateId()).isEqualTo(created.certificateId()));
    }

    @Test
    void createsPoliciesAndVersionsAttachesThemAndListsAttachmentsWithAwsErrors() {
        String document = CertificatesAndPoliciesApiTest.ALLOW_LAMP;
        var policy = iot.createPolicy(r -> r.policyName("sdk-policy").policyDocument(document));
        assertThat(policy.policyVersionId()).isEqualTo("1");
        assertThat(policy.policyArn()).endsWith(":policy/sdk-policy");
        assertThatThrownBy(() -> iot.createPolicy(r -> r.policyName("sdk-policy").policyDocument(document)))
                .isInstanceOf(ResourceAlreadyExistsException.class);
        assertThatThrownBy(() -> iot.createPolicy(r -> r.policyName("sdk-bad").policyDocument("{\"Statement\":[]}")))
                .isInstanceOf(MalformedPolicyException.class);

        var version = iot.createPolicyVersion(r -> r.policyName("sdk-policy").policyDocument(document)
                .setAsDefault(true));
        assertThat(version.policyVersionId()).isEqualTo("2");
        assertThat(version.isDefaultVersion()).isTrue();
        for (int i = 0; i < 3; i++) {
            iot.createPolicyVersion(r -> r.policyName("sdk-policy").policyDocument(document));
        }
        assertThatThrownBy(() -> iot.createPolicyVersion(r -> r.policyName("sdk-policy").policyDocument(document)))
                .isInstanceOf(VersionsLimitExceededException.class);
        assertThat(iot.getPolicy(r -> r.policyName("sdk-policy")).defaultVersionId()).isEqualTo("2");

        String certificateArn = iot.createKeysAndCertificate(r -> r.setAsActive(true)).certificateArn();
        iot.attachPolicy(r -> r.policyName("sdk-policy").target(certificateArn));
        assertThat(iot.listAttachedPolicies(r -> r.target(certificateArn)).policies())
                .extracting(Policy::policyName).containsExactly("sdk-policy");
        assertThatThrownBy(() -> iot.deletePolicy(r -> r.policyName("sdk-policy")))
                .isInstanceOf(DeleteConflictException.class);
        assertThatThrownBy(() -> iot.attachPolicy(r -> r.policyName("sdk-missing").target(certificateArn)))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
