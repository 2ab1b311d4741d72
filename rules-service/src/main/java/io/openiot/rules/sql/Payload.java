package io.openiot.rules.sql;

/**
 * The bytes of a message and, parsed on first use, its JSON value. A payload that is not JSON has the root
 * {@link Value#UNDEFINED}: every field reference is Undefined, and {@code SELECT *} passes the bytes through.
 */
public final class Payload {

    private final byte[] bytes;
    private Value root;

    public Payload(byte[] bytes) {
        this.bytes = bytes == null ? new byte[0] : bytes;
    }

    public byte[] bytes() {
        return bytes;
    }

    /** The parsed document, or Undefined when the payload is not JSON. */
    public Value root() {
        if (root == null) {
            Value parsed = JsonValues.parse(bytes);
            root = parsed == null ? Value.UNDEFINED : parsed;
        }
        return root;
    }

    public boolean isJson() {
        return !root().isUndefined();
    }
}
