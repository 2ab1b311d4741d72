package io.openiot.rules.destination;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Region and account of destination ARNs: the same settings as the rules' ARNs ({@code iot.rules.arn.*}). */
@Validated
@ConfigurationProperties("iot.rules.arn")
record DestinationArn(
        @DefaultValue("us-east-1") @Pattern(regexp = "[a-z]{2}(-[a-z]+)+-\\d+") String region,
        @DefaultValue("000000000000") @Pattern(regexp = "\\d{12}") String accountId) {

    /** {@code arn:aws:iot:<region>:<account>:ruledestination/http/<id>}, as AWS names HTTP destinations. */
    String of(String id) {
        return "arn:aws:iot:" + region + ":" + accountId + ":ruledestination/http/" + id;
    }
}
