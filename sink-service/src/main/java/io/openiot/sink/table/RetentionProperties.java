package io.openiot.sink.table;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Time partitions of tables with a retention.
 *
 * @param interval  how often day partitions are created ahead and those past the retention dropped (also at start)
 * @param daysAhead how many days after today get their partition ahead of time (today's always does)
 */
@ConfigurationProperties("iot.sink.retention")
record RetentionProperties(@DefaultValue("1h") Duration interval, @DefaultValue("2") int daysAhead) {
}
