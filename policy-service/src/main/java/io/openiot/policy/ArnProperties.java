package io.openiot.policy;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Region and account id that go into the ARNs this service hands out
 * ({@code arn:aws:iot:<region>:<account>:cert/<id>}). AWS clients parse ARNs, so both must look like AWS's even
 * though nothing here talks to AWS.
 */
@Validated
@ConfigurationProperties("iot.policy.arn")
public record ArnProperties(
        @DefaultValue("us-east-1") @Pattern(regexp = "[a-z]{2}(-[a-z]+)+-\\d+") String region,
        @DefaultValue("000000000000") @Pattern(regexp = "\\d{12}") String accountId) {

    /** The ARN of a security resource, e.g. {@code arn("cert", id)} or {@code arn("policy", "lamp-policy")}. */
    public String arn(String resourceType, String name) {
        return "arn:aws:iot:" + region + ":" + accountId + ":" + resourceType + "/" + name;
    }
}
