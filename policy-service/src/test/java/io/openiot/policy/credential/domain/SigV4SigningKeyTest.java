package io.openiot.policy.credential.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SigV4SigningKeyTest {

    /** AWS's example secret access key from the Signature Version 4 documentation and test suite. */
    private static final String AWS_EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    @Test
    void derivesTheSigningKeyOfAwsPublishedExample() {
        // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4"
        assertThat(HexFormat.of().formatHex(SigV4SigningKey.derive(AWS_EXAMPLE_SECRET, "20120215", "us-east-1",
                "iam"))).isEqualTo("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
    }

    @Test
    void signsTheStringToSignOfAwsTestSuiteGetVanillaWithTheDerivedKey() throws Exception {
        // AWS Signature Version 4 test suite, case "get-vanilla": GET / with host and x-amz-date signed
        String stringToSign = """
                AWS4-HMAC-SHA256
                20150830T123600Z
                20150830/us-east-1/service/aws4_request
                bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63""";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SigV4SigningKey.derive(AWS_EXAMPLE_SECRET, "20150830", "us-east-1", "service"),
                "HmacSHA256"));

        assertThat(HexFormat.of().formatHex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    @Test
    void refusesMalformedCredentialScopes() {
        assertThatThrownBy(() -> SigV4SigningKey.derive(AWS_EXAMPLE_SECRET, "2015-08-30", "us-east-1", "iotdata"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigV4SigningKey.derive(AWS_EXAMPLE_SECRET, "20151330", "us-east-1", "iotdata"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigV4SigningKey.derive(AWS_EXAMPLE_SECRET, "20150830", "US/East", "iotdata"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SigV4SigningKey.derive(AWS_EXAMPLE_SECRET, "20150830", "us-east-1", ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void generatesAccessKeysShapedLikeIams() {
        CredentialGenerator generator = new CredentialGenerator(new SecureRandom());
        for (int i = 0; i < 100; i++) {
            assertThat(generator.accessKeyId()).hasSize(20).matches(CredentialGenerator.ACCESS_KEY_ID);
            assertThat(generator.secretAccessKey()).hasSize(40).matches("[A-Za-z0-9+/]{40}");
        }
        assertThat(generator.accessKeyId()).isNotEqualTo(generator.accessKeyId());
        assertThat(generator.clientSecret()).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(generator.clientSecret());
    }
}
