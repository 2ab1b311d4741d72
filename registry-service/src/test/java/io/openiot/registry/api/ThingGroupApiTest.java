package io.openiot.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

class ThingGroupApiTest extends RegistryApiTestBase {

    private void group(String name, String parent) {
        post("/thing-groups/" + p + name, parent == null ? Map.of() : Map.of("parentGroupName", p + parent)).ok();
    }

    private Response add(String thing, String group) {
        return put("/thing-groups/addThingToThingGroup", Map.of("thingName", p + thing, "thingGroupName", p + group));
    }

    @Test
    void describesAGroupWithItsPathFromTheRoot() {
        group("building", null);
        group("floor", "building");
        JsonNode created = post("/thing-groups/" + p + "room", Map.of("parentGroupName", p + "floor",
                "thingGroupProperties", Map.of("thingGroupDescription", "room 1",
                        "attributePayload", Map.of("attributes", Map.of("size", "12"))))).ok().body();
        assertThat(created.path("thingGroupArn").asString()).endsWith(":thinggroup/" + p + "room");

        JsonNode room = get("/thing-groups/" + p + "room").ok().body();
        assertThat(room.path("version").asLong()).isEqualTo(1);
        assertThat(room.path("thingGroupProperties").path("attributePayload").path("attributes").path("size")
                .asString()).isEqualTo("12");
        assertThat(room.path("thingGroupMetadata").path("parentGroupName").asString()).isEqualTo(p + "floor");
        List<String> path = new ArrayList<>();
        room.path("thingGroupMetadata").path("rootToParentThingGroups").forEach(g -> path.add(g.path("groupName")
                .asString()));
        assertThat(path).containsExactly(p + "building", p + "floor");
        post("/thing-groups/" + p + "orphan", Map.of("parentGroupName", p + "nosuch"))
                .error(HttpStatus.NOT_FOUND, "ResourceNotFoundException");
    }

    @Test
    void aHierarchyIsAtMostSevenLevelsDeep() {
        group("l1", null);
        for (int level = 2; level <= 7; level++) {
            group("l" + level, "l" + (level - 1));
        }
        post("/thing-groups/" + p + "l8", Map.of("parentGroupName", p + "l7"))
                .error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
    }

    @Test
    void listsGroupsByParentPrefixAndRecursively() {
        group("root", null);
        group("a", "root");
        group("b", "root");
        group("a1", "a");

        assertThat(groupNames(get("/thing-groups?parentGroup=" + p + "root").ok().body()))
                .containsExactly(p + "a", p + "b");
        assertThat(groupNames(get("/thing-groups?parentGroup=" + p + "root&recursive=true").ok().body()))
                .containsExactly(p + "a", p + "a1", p + "b");
        assertThat(groupNames(get("/thing-groups?namePrefixFilter=" + p + "a").ok().body()))
                .containsExactly(p + "a", p + "a1");
    }

    @Test
    void updatesWithExpectedVersionAndRefusesToDeleteAGroupWithChildren() {
        group("parent", null);
        group("child", "parent");

        assertThat(patch("/thing-groups/" + p + "parent", Map.of("expectedVersion", 1, "thingGroupProperties",
                Map.of("thingGroupDescription", "new"))).ok().body().path("version").asLong()).isEqualTo(2);
        patch("/thing-groups/" + p + "parent", Map.of("expectedVersion", 1))
                .error(HttpStatus.CONFLICT, "VersionConflictException");
        delete("/thing-groups/" + p + "parent").error(HttpStatus.CONFLICT, "DeleteConflictException");
        delete("/thing-groups/" + p + "child").ok();
        delete("/thing-groups/" + p + "parent").ok();
        get("/thing-groups/" + p + "parent").error(HttpStatus.NOT_FOUND, "ResourceNotFoundException");
    }

    @Test
    void membershipListsDirectAndRecursiveAndKeepsOneGroupPerHierarchy() {
        group("site", null);
        group("hall", "site");
        group("other", null);
        post("/things/" + p + "t1", null).ok();
        post("/things/" + p + "t2", null).ok();

        add("t1", "site").ok();
        add("t2", "hall").ok();
        add("t1", "site").ok(); // again: no change
        add("t1", "hall").error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        add("t1", "other").ok();
        add("nosuch", "site").error(HttpStatus.NOT_FOUND, "ResourceNotFoundException");

        assertThat(ThingApiTest.names(get("/thing-groups/" + p + "site/things").ok().body())).containsExactly(p + "t1");
        assertThat(ThingApiTest.names(get("/thing-groups/" + p + "site/things?recursive=true").ok().body()))
                .containsExactly(p + "t1", p + "t2");
        assertThat(groupNames(get("/things/" + p + "t1/thing-groups").ok().body()))
                .containsExactly(p + "other", p + "site");

        put("/thing-groups/removeThingFromThingGroup", Map.of("thingName", p + "t1",
                "thingGroupArn", "arn:aws:iot:us-east-1:000000000000:thinggroup/" + p + "site")).ok();
        assertThat(groupNames(get("/things/" + p + "t1/thing-groups").ok().body())).containsExactly(p + "other");
    }

    @Test
    void aThingIsInAtMostTenGroups() {
        post("/things/" + p + "busy", null).ok();
        for (int i = 0; i < 10; i++) {
            group("g" + i, null);
            add("busy", "g" + i).ok();
        }
        group("g10", null);
        assertThat(add("busy", "g10").error(HttpStatus.BAD_REQUEST, "InvalidRequestException").message())
                .contains("10");
    }

    static List<String> groupNames(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.path("thingGroups").forEach(g -> names.add(g.path("groupName").asString()));
        return names;
    }
}
