package io.openiot.shadow.document;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which shadow: a thing's classic shadow ({@code shadow} empty) or one of its named shadows. Names follow AWS: thing
 * names {@code [a-zA-Z0-9:_-]+} up to 128 characters, shadow names {@code [$a-zA-Z0-9:_-]+} up to 64 characters
 * (AWS's API pattern), where a name starting with {@code $} is reserved by AWS: only the reserved names AWS itself
 * defines ({@code $package}, the Software Package Catalog's inventory shadow) are accepted, every other one is
 * rejected as an invalid name.
 *
 * @param thing  the thing name
 * @param shadow the shadow name, {@code ""} for the classic shadow
 */
public record ShadowName(String thing, String shadow) {

    public static final int MAX_THING_NAME = 128;
    public static final int MAX_SHADOW_NAME = 64;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9:_-]+");
    private static final Pattern SHADOW = Pattern.compile("[$a-zA-Z0-9:_-]+");
    /** The {@code $} names AWS reserves and uses itself; clients read and write them like any named shadow. */
    public static final Set<String> RESERVED_SHADOW_NAMES = Set.of("$package");

    public ShadowName {
        if (thing == null || thing.length() > MAX_THING_NAME || !NAME.matcher(thing).matches()) {
            throw ShadowRejection.badRequest("Invalid thing name", null);
        }
        shadow = shadow == null ? "" : shadow;
        if (shadow.length() > MAX_SHADOW_NAME || (!shadow.isEmpty() && !SHADOW.matcher(shadow).matches())
                || (shadow.startsWith("$") && !RESERVED_SHADOW_NAMES.contains(shadow))) {
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
