package io.openiot.contracts;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * Ids on the message path. A message gets its id once, where it enters the platform; everything derived from it (a
 * republished copy, a sink record, a Kafka action's record, an error-action payload) gets an id computed from the
 * source id, the rule and a stable key of the action. A retry of any step therefore produces the same ids again, and
 * downstream de-duplication works across retries, restarts and rule edits.
 *
 * <p>The derived ids are name-based UUIDs (RFC 4122 version 3): deterministic, fixed length, and free of the
 * characters that would need escaping in a header, a key or a URL.
 */
public final class MessageIds {

    private MessageIds() {
    }

    /** A new id for a message that enters the platform now (a device publish). */
    public static String newEntryId() {
        return UUID.randomUUID().toString();
    }

    /**
     * The id of something an action made from a source message.
     *
     * @param sourceId  the source message's id
     * @param ruleName  the rule that ran the action
     * @param actionKey a key of the action that does not change when the rule's actions are reordered, for example its
     *                  type and target ({@code republish:alerts/${topic(3)}})
     */
    public static String derived(String sourceId, String ruleName, String actionKey) {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(ruleName, "ruleName");
        Objects.requireNonNull(actionKey, "actionKey");
        return nameBased("derived\n" + sourceId + "\n" + ruleName + "\n" + actionKey);
    }

    /** The id of a record that arrived without one: fixed by where it sits in Kafka, so every reader agrees on it. */
    public static String ofRecordPosition(String kafkaTopic, int partition, long offset) {
        return nameBased("record\n" + kafkaTopic + "\n" + partition + "\n" + offset);
    }

    private static String nameBased(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
