package io.openiot.web.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.openiot.web.security.SigningKey;
import io.openiot.web.security.SigningKeyRequest;
import io.openiot.web.security.SigningKeys;
import org.junit.jupiter.api.Test;

class TestAccessKeysTest {

    private final TestAccessKeys.Provider keys = new TestAccessKeys.Provider();

    @Test
    void theTestKeyGetsTheSigningKeyDerivedFromItsSecretForTheRequestedScope() {
        SigningKey key = keys.signingKey(new SigningKeyRequest(TestAccessKeys.ACCESS_KEY, "20261202", "us-east-1",
                "iotdata")).orElseThrow();

        assertThat(key.key()).isEqualTo(SigningKeys.derive(TestAccessKeys.SECRET_KEY, "20261202", "us-east-1",
                "iotdata"));
        assertThat(key.clientId()).isEqualTo(TestAccessKeys.CLIENT_ID);
        assertThat(key.scopes()).containsExactlyInAnyOrder("iot:read", "iot:write");
    }

    @Test
    void anotherDayOrServiceGetsAnotherKeyAndAnUnknownAccessKeyNone() {
        byte[] today = keys.signingKey(new SigningKeyRequest(TestAccessKeys.ACCESS_KEY, "20261202", "us-east-1",
                "iotdata")).orElseThrow().key();
        byte[] tomorrow = keys.signingKey(new SigningKeyRequest(TestAccessKeys.ACCESS_KEY, "20261203", "us-east-1",
                "iotdata")).orElseThrow().key();
        byte[] otherService = keys.signingKey(new SigningKeyRequest(TestAccessKeys.ACCESS_KEY, "20261202",
                "us-east-1", "execute-api")).orElseThrow().key();

        assertThat(tomorrow).isNotEqualTo(today);
        assertThat(otherService).isNotEqualTo(today);
        assertThat(keys.signingKey(new SigningKeyRequest("AKIAUNKNOWN000000001", "20261202", "us-east-1",
                "iotdata"))).isEmpty();
    }
}
