package io.openiot.registry.thing;

import java.util.Map;

/** Request bodies of the thing calls, with AWS's JSON member names. */
final class ThingRequests {

    private ThingRequests() {
    }

    /** AWS's AttributePayload; {@code merge} only matters for UpdateThing. */
    record AttributePayload(Map<String, String> attributes, Boolean merge) {

        Map<String, String> attributesOrEmpty() {
            return attributes == null ? Map.of() : attributes;
        }

        boolean merging() {
            return Boolean.TRUE.equals(merge);
        }
    }

    record CreateThing(String thingTypeName, AttributePayload attributePayload, String billingGroupName) {
    }

    record UpdateThing(String thingTypeName, AttributePayload attributePayload, Long expectedVersion,
                       Boolean removeThingType) {
    }
}
