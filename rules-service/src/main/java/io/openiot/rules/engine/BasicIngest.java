package io.openiot.rules.engine;

/**
 * AWS IoT Basic Ingest: a message published to {@code $aws/rules/<ruleName>/<rest>} runs that rule alone, whatever its
 * FROM says, and the rule sees the topic without the prefix.
 */
public final class BasicIngest {

    static final String PREFIX = "$aws/rules/";

    private BasicIngest() {
    }

    /** The rule a Basic Ingest topic names, or null for any other topic. */
    public static String ruleName(String topic) {
        if (topic == null || !topic.startsWith(PREFIX)) {
            return null;
        }
        int end = topic.indexOf('/', PREFIX.length());
        String name = end < 0 ? topic.substring(PREFIX.length()) : topic.substring(PREFIX.length(), end);
        return name.isEmpty() ? null : name;
    }

    /** The topic as the rule sees it ({@code topic()}, {@code topic(n)}): without {@code $aws/rules/<ruleName>/}. */
    public static String ruleTopic(String topic) {
        if (ruleName(topic) == null) {
            return topic;
        }
        int end = topic.indexOf('/', PREFIX.length());
        return end < 0 ? "" : topic.substring(end + 1);
    }
}
