package io.openiot.gateway.auth;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Device authentication ({@code iot.gateway.auth.*}).
 *
 * @param devCredentialsEnabled whether the development user name and password connect (plain TCP listener); off in
 *                              production
 * @param devUsername           the one user name accepted ({@code IOT_GATEWAY_DEV_USERNAME})
 * @param devPassword           its password; never logged
 * @param devPolicy             the IoT policy document that applies to development-credential connections
 * @param principals            {@code static} (from {@code staticPrincipals}) or {@code policy-service}
 * @param principalCacheTtl     how long a looked-up certificate is reused before asking again
 * @param staticPrincipals      certificate id → what the platform knows of it, for tests and operators without
 *                              policy-service
 * @param region                region in the policies' ARNs
 * @param accountId             account id in the policies' ARNs
 */
@Validated
@ConfigurationProperties("iot.gateway.auth")
public record AuthProperties(@DefaultValue("true") boolean devCredentialsEnabled,
                             @NotBlank @DefaultValue("device") String devUsername,
                             @NotBlank @DefaultValue("device-secret") String devPassword,
                             @NotBlank @DefaultValue(ALLOW_ALL) String devPolicy,
                             @NotBlank @DefaultValue("static") String principals,
                             @DefaultValue("10s") Duration principalCacheTtl,
                             Map<String, StaticPrincipal> staticPrincipals,
                             @NotBlank @DefaultValue("us-east-1") String region,
                             @NotBlank @DefaultValue("000000000000") String accountId) {

    public static final String ALLOW_ALL =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\"}]}";

    public AuthProperties {
        staticPrincipals = staticPrincipals == null ? Map.of() : Map.copyOf(staticPrincipals);
    }

    /**
     * One certificate in the static directory.
     *
     * @param status   ACTIVE, INACTIVE, REVOKED, PENDING_ACTIVATION
     * @param caStatus status of its CA, or empty when not registered
     * @param thingName attached thing, or empty
     * @param policies policy name → document
     */
    public record StaticPrincipal(@DefaultValue("ACTIVE") String status, String caStatus, String thingName,
                                  Map<String, String> policies) {
        public StaticPrincipal {
            policies = policies == null ? Map.of() : Map.copyOf(policies);
        }
    }

    @Override
    public String toString() {
        return "AuthProperties[devCredentialsEnabled=" + devCredentialsEnabled + ", devUsername=" + devUsername
                + ", devPassword=******, principals=" + principals + "]";
    }

    List<String> devPolicies() {
        return List.of(devPolicy);
    }
}
