package io.openiot.shadow.document;

import java.util.Optional;

/**
 * A shadow request topic: {@code $aws/things/{thing}/shadow/{update|get|delete}} or
 * {@code $aws/things/{thing}/shadow/name/{shadow}/{update|get|delete}}, and the topics its answers go to.
 *
 * @param name      the shadow addressed
 * @param operation what the device asked for
 */
public record ShadowTopic(ShadowName name, Operation operation) {

    /** What a request topic asks for; its name is the last level of the topic. */
    public enum Operation {
        UPDATE, GET, DELETE;

        String level() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final String PREFIX = "$aws/things/";

    /** The request this topic carries, or empty for any other topic (responses included) and invalid names. */
    public static Optional<ShadowTopic> parse(String topic) {
        if (topic == null || !topic.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] levels = topic.substring(PREFIX.length()).split("/", -1);
        String thing;
        String shadow;
        String operation;
        if (levels.length == 3 && levels[1].equals("shadow")) {
            thing = levels[0];
            shadow = "";
            operation = levels[2];
        } else if (levels.length == 5 && levels[1].equals("shadow") && levels[2].equals("name")) {
            thing = levels[0];
            shadow = levels[3];
            operation = levels[4];
            if (shadow.isEmpty()) {
                return Optional.empty();
            }
        } else {
            return Optional.empty();
        }
        Operation op = switch (operation) {
            case "update" -> Operation.UPDATE;
            case "get" -> Operation.GET;
            case "delete" -> Operation.DELETE;
            default -> null;
        };
        if (op == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ShadowTopic(new ShadowName(thing, shadow), op));
        } catch (ShadowRejection e) {
            return Optional.empty();
        }
    }

    /** {@code …/{operation}/accepted}. */
    public static String accepted(ShadowName name, Operation operation) {
        return name.topicPrefix() + "/" + operation.level() + "/accepted";
    }

    /** {@code …/{operation}/rejected}. */
    public static String rejected(ShadowName name, Operation operation) {
        return name.topicPrefix() + "/" + operation.level() + "/rejected";
    }

    /** {@code …/update/delta}. */
    public static String delta(ShadowName name) {
        return name.topicPrefix() + "/update/delta";
    }

    /** {@code …/update/documents}. */
    public static String documents(ShadowName name) {
        return name.topicPrefix() + "/update/documents";
    }
}
