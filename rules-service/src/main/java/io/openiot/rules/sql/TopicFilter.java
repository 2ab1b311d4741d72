package io.openiot.rules.sql;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An MQTT topic filter as AWS IoT uses it in a rule's FROM clause: {@code +} fills exactly one level, {@code #} the
 * rest of the topic. Unlike the MQTT specification, {@code a/#} matches {@code a/} and {@code a/b/c} but not
 * {@code a} (AWS IoT Core, "Topics"). A wildcard in the first level does not match topics that start with {@code $}.
 */
public final class TopicFilter {

    static final int MAX_BYTES = 256;

    private final String filter;
    private final List<String> levels;

    private TopicFilter(String filter) {
        this.filter = filter;
        this.levels = List.of(filter.split("/", -1));
    }

    /** Parses and validates a filter; throws {@link IllegalArgumentException} saying what is wrong. */
    public static TopicFilter parse(String filter) {
        if (filter == null || filter.isEmpty()) {
            throw new IllegalArgumentException("topic filter must not be empty");
        }
        if (filter.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("topic filter longer than " + MAX_BYTES + " bytes");
        }
        if (filter.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("topic filter contains a NUL character");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                throw new IllegalArgumentException("'#' must be the whole last level of the topic filter");
            }
            if (level.contains("+") && !level.equals("+")) {
                throw new IllegalArgumentException("'+' must fill a whole level of the topic filter");
            }
        }
        return new TopicFilter(filter);
    }

    public boolean matches(String topic) {
        if (topic.startsWith("$") && (levels.get(0).equals("+") || levels.get(0).equals("#"))) {
            return false;
        }
        String[] topicLevels = topic.split("/", -1);
        for (int i = 0; i < levels.size(); i++) {
            String level = levels.get(i);
            if (level.equals("#")) {
                return topicLevels.length > i;
            }
            if (i >= topicLevels.length) {
                return false;
            }
            if (!level.equals("+") && !level.equals(topicLevels[i])) {
                return false;
            }
        }
        return levels.size() == topicLevels.length;
    }

    @Override
    public String toString() {
        return filter;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicFilter other && filter.equals(other.filter);
    }

    @Override
    public int hashCode() {
        return filter.hashCode();
    }
}
