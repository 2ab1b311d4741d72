package io.openiot.policy.bootstrap;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code iot.policy.bootstrap.*}: credentials created on start when missing, so a fresh installation can be
 * administered (admin client and access key) and the other services can call the internal endpoints (service
 * client). Each id is optional; a set id needs its secret. Existing entries are left as they are.
 */
@ConfigurationProperties("iot.policy.bootstrap")
record BootstrapProperties(
        String adminClientId,
        String adminClientSecret,
        String adminAccessKeyId,
        String adminAccessKeySecretAccessKey,
        String serviceClientId,
        String serviceClientSecret) {

    @Override
    public String toString() {
        return "BootstrapProperties[adminClientId=" + adminClientId + ", adminAccessKeyId=" + adminAccessKeyId
                + ", serviceClientId=" + serviceClientId + ", secrets=<hidden>]";
    }
}
