package io.openiot.registry.thinggroup;

import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** AWS IoT's static thing group calls. */
@RestController
class ThingGroupController {

    private final ThingGroupService groups;

    ThingGroupController(ThingGroupService groups) {
        this.groups = groups;
    }

    @PostMapping("/thing-groups/{thingGroupName}")
    Map<String, Object> createThingGroup(@PathVariable String thingGroupName,
                                         @RequestBody(required = false) ThingGroupService.CreateThingGroup body) {
        return groups.create(thingGroupName, body);
    }

    @GetMapping("/thing-groups/{thingGroupName}")
    Map<String, Object> describeThingGroup(@PathVariable String thingGroupName) {
        return groups.describe(thingGroupName);
    }

    @GetMapping("/thing-groups")
    Map<String, Object> listThingGroups(@RequestParam(required = false) Integer maxResults,
                                        @RequestParam(required = false) String nextToken,
                                        @RequestParam(required = false) String parentGroup,
                                        @RequestParam(required = false) String namePrefixFilter,
                                        @RequestParam(required = false) Boolean recursive) {
        return groups.list(maxResults, nextToken, parentGroup, namePrefixFilter, recursive);
    }

    @PatchMapping("/thing-groups/{thingGroupName}")
    Map<String, Object> updateThingGroup(@PathVariable String thingGroupName,
                                         @RequestBody(required = false) ThingGroupService.UpdateThingGroup body) {
        return Map.of("version", groups.update(thingGroupName, body));
    }

    @DeleteMapping("/thing-groups/{thingGroupName}")
    Map<String, Object> deleteThingGroup(@PathVariable String thingGroupName,
                                         @RequestParam(required = false) Long expectedVersion) {
        groups.delete(thingGroupName, expectedVersion);
        return Map.of();
    }

    @PutMapping("/thing-groups/addThingToThingGroup")
    Map<String, Object> addThingToThingGroup(@RequestBody ThingGroupService.Membership body) {
        groups.addThing(body);
        return Map.of();
    }

    @PutMapping("/thing-groups/removeThingFromThingGroup")
    Map<String, Object> removeThingFromThingGroup(@RequestBody ThingGroupService.Membership body) {
        groups.removeThing(body);
        return Map.of();
    }

    @GetMapping("/thing-groups/{thingGroupName}/things")
    Map<String, Object> listThingsInThingGroup(@PathVariable String thingGroupName,
                                               @RequestParam(defaultValue = "false") boolean recursive,
                                               @RequestParam(required = false) Integer maxResults,
                                               @RequestParam(required = false) String nextToken) {
        return groups.thingsInGroup(thingGroupName, recursive, maxResults, nextToken);
    }

    @GetMapping("/things/{thingName}/thing-groups")
    Map<String, Object> listThingGroupsForThing(@PathVariable String thingName,
                                                @RequestParam(required = false) Integer maxResults,
                                                @RequestParam(required = false) String nextToken) {
        return groups.groupsForThing(thingName, maxResults, nextToken);
    }
}
