package io.openiot.rules.sql;

/**
 * What a rule's SELECT produced for one message: the bytes an action sends, and the JSON value when there is one
 * ({@code null} when {@code SELECT *} passed a non-JSON payload through).
 */
public record SelectResult(byte[] bytes, Value json) {

    public boolean isJson() {
        return json != null;
    }
}
