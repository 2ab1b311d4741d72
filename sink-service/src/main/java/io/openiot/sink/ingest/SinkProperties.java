package io.openiot.sink.ingest;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Table handling of the sink.
 *
 * @param autoCreateTables     create a table on the first record for it, with the key names and types the record
 *                             gives; off: records for unknown tables are bad records (dead letter)
 * @param appliedIdsRetention  how long the source message ids of applied records are kept to skip redeliveries and
 *                             replays; must exceed how long a record can wait in the dead-letter topic
 * @param appliedIdsPruneInterval how often ids older than the retention are deleted
 */
@ConfigurationProperties("iot.sink")
record SinkProperties(
        @DefaultValue("false") boolean autoCreateTables,
        @DefaultValue("7d") Duration appliedIdsRetention,
        @DefaultValue("1h") Duration appliedIdsPruneInterval) {
}
