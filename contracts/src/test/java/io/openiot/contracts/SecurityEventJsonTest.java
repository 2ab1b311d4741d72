package io.openiot.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SecurityEventJsonTest {

    private static final String STATUS_SAMPLE = """
            {"eventId":"7","type":"CertificateStatusChanged",\
            "principal":"5a0b6c3c1f8e4d2a9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a","timestamp":1700000000000,\
            "certificateId":"5a0b6c3c1f8e4d2a9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a","status":"REVOKED"}""";

    private static final String ATTACH_SAMPLE = """
            {"eventId":"8","type":"PolicyAttached","principal":"lamp-policy","timestamp":1700000000001,\
            "policyName":"lamp-policy","target":"arn:aws:iot:us-east-1:000000000000:thinggroup/lamps"}""";

    private final JsonMapper mapper = JsonMapper.builder().build();

    @Test
    void readsTheFixedSamplesAndWritesThemBackUnchangedLeavingUnusedFieldsOut() {
        SecurityEvent status = mapper.readValue(STATUS_SAMPLE, SecurityEvent.class);
        SecurityEvent attach = mapper.readValue(ATTACH_SAMPLE, SecurityEvent.class);

        assertThat(status.type()).isEqualTo(SecurityEvent.Types.CERTIFICATE_STATUS_CHANGED);
        assertThat(status.status()).isEqualTo("REVOKED");
        assertThat(status.policyName()).isNull();
        assertThat(attach.type()).isEqualTo(SecurityEvent.Types.POLICY_ATTACHED);
        assertThat(attach.target()).endsWith(":thinggroup/lamps");
        assertThat(mapper.readTree(mapper.writeValueAsString(status))).isEqualTo(mapper.readTree(STATUS_SAMPLE));
        assertThat(mapper.readTree(mapper.writeValueAsString(attach))).isEqualTo(mapper.readTree(ATTACH_SAMPLE));
    }
}
