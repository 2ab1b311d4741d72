package io.openiot.contracts;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The topic-name rules AWS IoT Core applies to a PUBLISH (MQTT or HTTPS): UTF-8, not empty, no wildcards, no NUL,
 * at most 256 bytes and at most 8 levels (7 slashes). The {@code $aws/rules/<rule>/} prefix of Basic Ingest does not
 * count towards the levels.
 */
public final class TopicNameValidator {

    public static final int MAX_BYTES = 256;
    public static final int MAX_LEVELS = 8;

    private static final String BASIC_INGEST_PREFIX = "$aws/rules/";

    private TopicNameValidator() {
    }

    /** Why {@code topicName} may not be published to, or empty when it may. */
    public static Optional<String> violation(String topicName) {
        if (topicName == null || topicName.isEmpty()) {
            return Optional.of("topic name is empty");
        }
        if (topicName.indexOf('+') >= 0 || topicName.indexOf('#') >= 0) {
            return Optional.of("topic name contains a wildcard");
        }
        if (topicName.indexOf('\u0000') >= 0) {
            return Optional.of("topic name contains a NUL character");
        }
        if (topicName.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Optional.of("topic name is longer than " + MAX_BYTES + " bytes");
        }
        if (levels(withoutBasicIngestPrefix(topicName)) > MAX_LEVELS) {
            return Optional.of("topic name has more than " + MAX_LEVELS + " levels");
        }
        return Optional.empty();
    }

    private static String withoutBasicIngestPrefix(String topicName) {
        if (!topicName.startsWith(BASIC_INGEST_PREFIX)) {
            return topicName;
        }
        int ruleEnd = topicName.indexOf('/', BASIC_INGEST_PREFIX.length());
        return ruleEnd < 0 ? topicName : topicName.substring(ruleEnd + 1);
    }

    private static int levels(String topicName) {
        int levels = 1;
        for (int i = 0; i < topicName.length(); i++) {
            if (topicName.charAt(i) == '/') {
                levels++;
            }
        }
        return levels;
    }
}
