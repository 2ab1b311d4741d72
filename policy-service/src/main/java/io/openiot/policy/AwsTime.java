package io.openiot.policy;

import java.math.BigDecimal;
import java.time.Instant;

/** AWS's REST-JSON APIs carry timestamps as epoch seconds with a fraction; the AWS SDKs parse nothing else. */
public final class AwsTime {

    private AwsTime() {
    }

    public static BigDecimal epochSeconds(Instant instant) {
        return instant == null ? null : BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
    }
}
