package io.openiot.gateway.auth;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Development credentials that devices use until certificates and policies arrive
 * ({@code IOT_GATEWAY_DEV_USERNAME} / {@code IOT_GATEWAY_DEV_PASSWORD} in the environment).
 *
 * @param devUsername the one user name accepted
 * @param devPassword its password; never logged
 */
@Validated
@ConfigurationProperties("iot.gateway.auth")
record AuthProperties(@NotBlank @DefaultValue("device") String devUsername,
                      @NotBlank @DefaultValue("device-secret") String devPassword) {

    @Override
    public String toString() {
        return "AuthProperties[devUsername=" + devUsername + ", devPassword=******]";
    }
}
