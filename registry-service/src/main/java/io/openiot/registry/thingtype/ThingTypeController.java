package io.openiot.registry.thingtype;

import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** AWS IoT's thing type calls. */
@RestController
class ThingTypeController {

    record Deprecate(Boolean undoDeprecate) {
    }

    private final ThingTypeService types;

    ThingTypeController(ThingTypeService types) {
        this.types = types;
    }

    @PostMapping("/thing-types/{thingTypeName}")
    Map<String, Object> createThingType(@PathVariable String thingTypeName,
                                        @RequestBody(required = false) ThingTypeService.CreateThingType body) {
        return types.create(thingTypeName, body);
    }

    @GetMapping("/thing-types/{thingTypeName}")
    Map<String, Object> describeThingType(@PathVariable String thingTypeName) {
        return types.describe(thingTypeName);
    }

    @GetMapping("/thing-types")
    Map<String, Object> listThingTypes(@RequestParam(required = false) Integer maxResults,
                                       @RequestParam(required = false) String nextToken,
                                       @RequestParam(required = false) String thingTypeName) {
        return types.list(maxResults, nextToken, thingTypeName);
    }

    @PostMapping("/thing-types/{thingTypeName}/deprecate")
    Map<String, Object> deprecateThingType(@PathVariable String thingTypeName,
                                           @RequestBody(required = false) Deprecate body) {
        types.deprecate(thingTypeName, body != null && Boolean.TRUE.equals(body.undoDeprecate()));
        return Map.of();
    }

    @DeleteMapping("/thing-types/{thingTypeName}")
    Map<String, Object> deleteThingType(@PathVariable String thingTypeName) {
        types.delete(thingTypeName);
        return Map.of();
    }
}
