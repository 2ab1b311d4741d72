package io.openiot.sink.table;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * SQL access for analysts.
 *
 * @param readerRole     the read-only login role that may read the views in schema {@code analytics}
 * @param readerPassword its password; unset: the role is not created or changed (the views are still kept)
 */
@ConfigurationProperties("iot.sink.analytics")
record AnalyticsProperties(@DefaultValue("iot_analyst") String readerRole, String readerPassword) {
}
