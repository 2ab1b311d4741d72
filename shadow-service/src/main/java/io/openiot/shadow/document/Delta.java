package io.openiot.shadow.document;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * AWS's delta: every key of {@code desired} whose value differs from {@code reported}, with its full path. Objects on
 * both sides are compared key by key; anything else (arrays included) is compared as a whole value. Keys only in
 * {@code reported} do not matter.
 */
final class Delta {

    private Delta() {
    }

    /** The delta, or {@code null} when desired is absent or nothing differs. */
    static ObjectNode of(ObjectNode desired, ObjectNode reported) {
        if (desired == null) {
            return null;
        }
        ObjectNode delta = difference(desired, reported == null ? ShadowJson.object() : reported);
        return delta.isEmpty() ? null : delta;
    }

    private static ObjectNode difference(ObjectNode desired, ObjectNode reported) {
        ObjectNode delta = ShadowJson.object();
        for (Map.Entry<String, JsonNode> entry : desired.properties()) {
            JsonNode want = entry.getValue();
            JsonNode have = reported.get(entry.getKey());
            if (want.isObject() && have != null && have.isObject()) {
                ObjectNode nested = difference((ObjectNode) want, (ObjectNode) have);
                if (!nested.isEmpty()) {
                    delta.set(entry.getKey(), nested);
                }
            } else if (!want.equals(have)) {
                delta.set(entry.getKey(), want.deepCopy());
            }
        }
        return delta;
    }

    /** The part of {@code metadata} at the paths of {@code delta}: the desired timestamps of the delta's values. */
    static ObjectNode metadata(ObjectNode delta, ObjectNode metadata) {
        ObjectNode result = ShadowJson.object();
        for (Map.Entry<String, JsonNode> entry : delta.properties()) {
            JsonNode meta = metadata == null ? null : metadata.get(entry.getKey());
            if (meta == null) {
                continue;
            }
            if (entry.getValue().isObject() && meta.isObject() && !isLeafMetadata(meta)) {
                result.set(entry.getKey(), metadata((ObjectNode) entry.getValue(), (ObjectNode) meta));
            } else {
                result.set(entry.getKey(), meta.deepCopy());
            }
        }
        return result;
    }

    private static boolean isLeafMetadata(JsonNode meta) {
        return meta.size() == 1 && meta.has("timestamp") && meta.get("timestamp").isNumber();
    }
}
