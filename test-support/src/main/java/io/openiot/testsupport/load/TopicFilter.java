package io.openiot.testsupport.load;

/** MQTT topic filter matching ({@code +} one level, {@code #} the rest), to know what the subscriber should get. */
final class TopicFilter {

    private TopicFilter() {
    }

    static boolean matches(String filter, String topic) {
        String[] filterLevels = filter.split("/", -1);
        String[] topicLevels = topic.split("/", -1);
        for (int level = 0; level < filterLevels.length; level++) {
            if (filterLevels[level].equals("#")) {
                return true;
            }
            if (level >= topicLevels.length) {
                return false;
            }
            if (!filterLevels[level].equals("+") && !filterLevels[level].equals(topicLevels[level])) {
                return false;
            }
        }
        return filterLevels.length == topicLevels.length;
    }
}
