package io.openiot.registry.thing;

import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** AWS IoT's thing calls, same paths and JSON members. */
@RestController
class ThingController {

    private final ThingService things;

    ThingController(ThingService things) {
        this.things = things;
    }

    @PostMapping("/things/{thingName}")
    Map<String, Object> createThing(@PathVariable String thingName,
                                    @RequestBody(required = false) ThingRequests.CreateThing body) {
        return things.create(thingName, body);
    }

    @GetMapping("/things/{thingName}")
    Map<String, Object> describeThing(@PathVariable String thingName) {
        return things.describe(thingName);
    }

    @GetMapping("/things")
    Map<String, Object> listThings(@RequestParam(required = false) Integer maxResults,
                                   @RequestParam(required = false) String nextToken,
                                   @RequestParam(required = false) String attributeName,
                                   @RequestParam(required = false) String attributeValue,
                                   @RequestParam(required = false) String thingTypeName,
                                   @RequestParam(defaultValue = "false") boolean usePrefixAttributeValue) {
        return things.list(maxResults, nextToken, attributeName, attributeValue, thingTypeName,
                usePrefixAttributeValue);
    }

    @PatchMapping("/things/{thingName}")
    Map<String, Object> updateThing(@PathVariable String thingName,
                                    @RequestBody(required = false) ThingRequests.UpdateThing body) {
        things.update(thingName, body);
        return Map.of();
    }

    @DeleteMapping("/things/{thingName}")
    Map<String, Object> deleteThing(@PathVariable String thingName,
                                    @RequestParam(required = false) Long expectedVersion) {
        things.delete(thingName, expectedVersion);
        return Map.of();
    }
}
