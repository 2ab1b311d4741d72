package io.openiot.policylang;

/** A statement's {@code Effect}: an explicit {@code Deny} always wins over any {@code Allow}. */
public enum Effect {
    ALLOW("Allow"),
    DENY("Deny");

    private final String jsonName;

    Effect(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The spelling in a policy document, {@code Allow} or {@code Deny}. */
    public String jsonName() {
        return jsonName;
    }
}
