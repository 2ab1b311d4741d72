package io.openiot.shadow.document;

import java.util.regex.Pattern;

/**
 * Which shadow: a thing's classic shadow ({@code shadow} empty) or one of its named shadows. Names follow AWS: thing
 * names {@code [a-zA-Z0-9:_-]+} up to 128 characters, shadow names the same up to 64 characters.
 *
 * @param thing  the thing name
 * @param shadow the shadow name, {@code ""} for the classic shadow
 */
public record ShadowName(String thing, String shadow) {

    public static final int MAX_THING_NAME = 128;
    public static final int MAX_SHADOW_NAME = 64;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9:_-]+");

    public ShadowName {
        if (thing == null || thing.length() > MAX_THING_NAME || !NAME.matcher(thing).matches()) {
            throw ShadowRejection.badRequest("Invalid thing name", null);
        }
        shadow = shadow == null ? "" : shadow;
        if (shadow.length() > MAX_SHADOW_NAME || (!shadow.isEmpty() && !NAME.matcher(shadow).matches())) {
            throw ShadowRejection.badRequest("Invalid shadow name", null);
        }
    }

    public static ShadowName classic(String thing) {
        return new ShadowName(thing, "");
    }

    public boolean isClassic() {
        return shadow.isEmpty();
    }

    /** The name AWS puts into its "No shadow exists" message. */
    String displayName() {
        return isClassic() ? thing : shadow;
    }

    /** {@code $aws/things/{thing}/shadow} or {@code $aws/things/{thing}/shadow/name/{shadow}}. */
    public String topicPrefix() {
        return "$aws/things/" + thing + "/shadow" + (isClassic() ? "" : "/name/" + shadow);
    }
}
