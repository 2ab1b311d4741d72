package io.openiot.sink.item;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the item queries.
 *
 * @param defaultPageSize items per page when the request gives no {@code limit}
 * @param maxPageSize     largest {@code limit} a request may ask for
 * @param maxBuckets      most buckets one aggregate answers with (a day of hours for 1,000 devices is 24,000)
 */
@Validated
@ConfigurationProperties("iot.sink.query")
record QueryProperties(
        @DefaultValue("100") @Min(1) @Max(10000) int defaultPageSize,
        @DefaultValue("1000") @Min(1) @Max(10000) int maxPageSize,
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int maxBuckets) {
}
