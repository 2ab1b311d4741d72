package io.openiot.rules.rule;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Region and account id that go into rule ARNs ({@code arn:aws:iot:<region>:<account>:rule/<name>}). AWS clients
 * parse ARNs, so both must look like AWS's even though nothing here talks to AWS.
 */
@Validated
@ConfigurationProperties("iot.rules.arn")
record ArnProperties(
        @DefaultValue("us-east-1") @Pattern(regexp = "[a-z]{2}(-[a-z]+)+-\\d+") String region,
        @DefaultValue("000000000000") @Pattern(regexp = "\\d{12}") String accountId) {

    String ruleArn(String ruleName) {
        return "arn:aws:iot:" + region + ":" + accountId + ":rule/" + ruleName;
    }
}
