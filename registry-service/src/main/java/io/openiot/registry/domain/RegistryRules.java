package io.openiot.registry.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * AWS IoT's patterns and limits for registry names and attributes (AWS IoT API Reference, CreateThing,
 * CreateThingType, CreateThingGroup, AttributePayload), and the attribute merge of UpdateThing.
 */
public final class RegistryRules {

    /** ThingName, ThingTypeName and ThingGroupName share this pattern and a length of 1 to 128. */
    private static final Pattern RESOURCE_NAME = Pattern.compile("[a-zA-Z0-9:_-]+");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-zA-Z0-9_.,@/:#-]+");
    private static final Pattern ATTRIBUTE_VALUE = Pattern.compile("[a-zA-Z0-9_.,@/:#=\\[\\]-]*");
    private static final Pattern DESCRIPTION = Pattern.compile("[\\p{Graph}\\x20]*");

    public static final int MAX_NAME_LENGTH = 128;
    public static final int MAX_ATTRIBUTE_VALUE_LENGTH = 800;
    public static final int MAX_DESCRIPTION_LENGTH = 2028;
    /** A thing without a thing type has at most 3 attributes, one with a type at most 50. */
    public static final int MAX_ATTRIBUTES_UNTYPED = 3;
    public static final int MAX_ATTRIBUTES_TYPED = 50;
    public static final int MAX_GROUP_ATTRIBUTES = 50;
    public static final int MAX_SEARCHABLE_ATTRIBUTES = 3;
    /** A group is at most this many levels deep, the root counting as 1. */
    public static final int MAX_GROUP_DEPTH = 7;
    /** A thing is in at most this many static groups. */
    public static final int MAX_GROUPS_PER_THING = 10;
    public static final int MAX_PRINCIPAL_LENGTH = 2048;

    private RegistryRules() {
    }

    public static void thingName(String name) {
        resourceName("thingName", name);
    }

    public static void thingTypeName(String name) {
        resourceName("thingTypeName", name);
    }

    public static void thingGroupName(String name) {
        resourceName("thingGroupName", name);
    }

    private static void resourceName(String field, String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH
                || !RESOURCE_NAME.matcher(name).matches()) {
            throw new RegistryValidationException("1 validation error detected: Value '" + name + "' at '" + field
                    + "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + RESOURCE_NAME.pattern() + " and have length between 1 and " + MAX_NAME_LENGTH);
        }
    }

    public static void description(String description) {
        if (description != null && (description.length() > MAX_DESCRIPTION_LENGTH
                || !DESCRIPTION.matcher(description).matches())) {
            throw new RegistryValidationException("description must be at most " + MAX_DESCRIPTION_LENGTH
                    + " printable characters");
        }
    }

    public static void principal(String principal) {
        if (principal == null || principal.isBlank() || principal.length() > MAX_PRINCIPAL_LENGTH) {
            throw new RegistryValidationException("principal (header x-amzn-principal) must be 1 to "
                    + MAX_PRINCIPAL_LENGTH + " characters");
        }
    }

    /**
     * Checks attribute names and values. An empty value is allowed: in a merge it removes the attribute.
     */
    public static void attributes(Map<String, String> attributes) {
        if (attributes == null) {
            return;
        }
        attributes.forEach((name, value) -> {
            if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH
                    || !ATTRIBUTE_NAME.matcher(name).matches()) {
                throw new RegistryValidationException("attribute name '" + name + "' must match "
                        + ATTRIBUTE_NAME.pattern() + " and have length between 1 and " + MAX_NAME_LENGTH);
            }
            if (value == null || value.length() > MAX_ATTRIBUTE_VALUE_LENGTH
                    || !ATTRIBUTE_VALUE.matcher(value).matches()) {
                throw new RegistryValidationException("value of attribute '" + name + "' must match "
                        + ATTRIBUTE_VALUE.pattern() + " and have at most " + MAX_ATTRIBUTE_VALUE_LENGTH
                        + " characters");
            }
        });
    }

    /** The attribute count limit of a thing: 3 without a thing type, 50 with one. */
    public static void thingAttributeCount(Map<String, String> attributes, boolean hasThingType) {
        int limit = hasThingType ? MAX_ATTRIBUTES_TYPED : MAX_ATTRIBUTES_UNTYPED;
        if (attributes.size() > limit) {
            throw new RegistryValidationException("a thing " + (hasThingType ? "with" : "without")
                    + " a thing type has at most " + limit + " attributes, " + attributes.size() + " given");
        }
    }

    public static void groupAttributeCount(Map<String, String> attributes) {
        if (attributes.size() > MAX_GROUP_ATTRIBUTES) {
            throw new RegistryValidationException("a thing group has at most " + MAX_GROUP_ATTRIBUTES + " attributes");
        }
    }

    public static void searchableAttributes(List<String> names) {
        if (names == null) {
            return;
        }
        if (names.size() > MAX_SEARCHABLE_ATTRIBUTES) {
            throw new RegistryValidationException("a thing type has at most " + MAX_SEARCHABLE_ATTRIBUTES
                    + " searchable attributes");
        }
        names.forEach(name -> attributes(Map.of(name, "")));
    }

    /**
     * The attributes after an update: with {@code merge} the given ones are added or replaced and those given an
     * empty value removed; without it the given ones replace all (empty values dropped).
     */
    public static Map<String, String> applyAttributes(Map<String, String> current, Map<String, String> given,
                                                      boolean merge) {
        Map<String, String> result = new LinkedHashMap<>(merge ? current : Map.of());
        given.forEach((name, value) -> {
            if (value.isEmpty()) {
                result.remove(name);
            } else {
                result.put(name, value);
            }
        });
        return result;
    }
}
