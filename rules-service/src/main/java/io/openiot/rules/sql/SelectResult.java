package io.openiot.rules.sql;

import tools.jackson.databind.JsonNode;

/**
 * What a rule's SELECT produced for one message: the bytes an action sends, and the JSON value when there is one
 * (none when {@code SELECT *} passed a non-JSON payload through). The actions of a rule share one result; each
 * form is computed once, on first use, since a republish needs only the bytes and a storage write only the JSON.
 * Not thread-safe: one consumer thread owns a result.
 */
public final class SelectResult {

    private final Value json;
    private byte[] bytes;
    private JsonNode jsonNode;

    private SelectResult(byte[] bytes, Value json) {
        this.bytes = bytes;
        this.json = json;
    }

    /** {@code SELECT *}: the payload as it arrived, and its JSON value if it is JSON ({@code null} otherwise). */
    static SelectResult passThrough(byte[] payload, Value json) {
        return new SelectResult(payload, json);
    }

    /** A SELECT list: the object built from it. */
    static SelectResult of(Value json) {
        return new SelectResult(null, json);
    }

    /** A JSON document built outside SQL, such as an error action's payload. */
    public static SelectResult ofJsonTree(JsonNode tree) {
        SelectResult result = new SelectResult(null, null);
        result.jsonNode = tree;
        return result;
    }

    public boolean isJson() {
        return json != null || jsonNode != null;
    }

    public byte[] bytes() {
        if (bytes == null && json != null && json.isUndefined()) {
            // SELECT VALUE of something Undefined: AWS sends an empty payload
            bytes = new byte[0];
        }
        if (bytes == null) {
            bytes = jsonNode != null ? JsonValues.toBytes(jsonNode) : JsonValues.toBytes(json);
        }
        return bytes;
    }

    /** The JSON tree; only for a JSON result ({@link #isJson()}). */
    public JsonNode jsonNode() {
        if (jsonNode == null) {
            jsonNode = JsonValues.toJson(json);
        }
        return jsonNode;
    }
}
