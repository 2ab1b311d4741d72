package io.openiot.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

class SearchApiTest extends RegistryApiTestBase {

    @BeforeEach
    void fleet() {
        post("/thing-types/" + p + "sensor", null).ok();
        post("/thing-groups/" + p + "east", null).ok();
        for (int i = 1; i <= 6; i++) {
            post("/things/" + p + "s" + i, Map.of("thingTypeName", p + "sensor", "attributePayload",
                    Map.of("attributes", Map.of("floor", String.valueOf(i), "model", i % 2 == 0 ? "mk2" : "mk1b"))))
                    .ok();
        }
        post("/things/" + p + "plain", Map.of("attributePayload", Map.of("attributes", Map.of("floor", "x")))).ok();
        put("/thing-groups/addThingToThingGroup", Map.of("thingName", p + "s1", "thingGroupName", p + "east")).ok();
        put("/thing-groups/addThingToThingGroup", Map.of("thingName", p + "s2", "thingGroupName", p + "east")).ok();
    }

    private List<String> search(String query) {
        JsonNode body = post("/indices/search", Map.of("queryString", "thingName:" + p + "* AND (" + query + ")"))
                .ok().body();
        List<String> names = new ArrayList<>();
        body.path("things").forEach(t -> names.add(t.path("thingName").asString().substring(p.length())));
        return names;
    }

    @Test
    void findsByRegistryFieldsPrefixesRangesAndBooleanOperators() {
        assertThat(search("thingTypeName:" + p + "sensor attributes.model:mk2")).containsExactly("s2", "s4", "s6");
        assertThat(search("attributes.model:mk1*")).containsExactly("s1", "s3", "s5");
        assertThat(search("attributes.floor:[2 TO 4]")).containsExactly("s2", "s3", "s4");
        assertThat(search("attributes.floor:{2 TO 4}")).containsExactly("s3");
        assertThat(search("attributes.floor>5 OR thingGroupNames:" + p + "east")).containsExactly("s1", "s2", "s6");
        assertThat(search("NOT thingTypeName:" + p + "sensor")).containsExactly("plain");
        assertThat(search("-attributes.model:mk2 thingTypeName:" + p + "sensor")).containsExactly("s1", "s3", "s5");
        assertThat(search("attributes.floor:\"x\"")).containsExactly("plain");
    }

    @Test
    void valuesMatchCaseInsensitivelyWhileFieldAndAttributeNamesAreCaseSensitiveAsInAws() {
        post("/things/" + p + "Upper", Map.of("thingTypeName", p + "sensor", "attributePayload",
                Map.of("attributes", Map.of("Model", "MK-II", "floor", "7")))).ok();
        put("/thing-groups/addThingToThingGroup", Map.of("thingName", p + "Upper", "thingGroupName", p + "east")).ok();

        assertThat(search("attributes.Model:mk-ii")).containsExactly("Upper");
        assertThat(search("attributes.Model:Mk*")).containsExactly("Upper");
        assertThat(search("attributes.model:MK-II")).isEmpty();
        assertThat(search("thingName:" + p.toUpperCase() + "UP*")).containsExactly("Upper");
        assertThat(search("thingName:" + p + "upper")).containsExactly("Upper");
        assertThat(search("thingTypeName:" + p.toUpperCase() + "SENSOR attributes.floor:7")).containsExactly("Upper");
        assertThat(search("thingGroupNames:" + p.toUpperCase() + "EAST")).containsExactlyInAnyOrder("s1", "s2", "Upper");
        assertThat(search("attributes.model:[MK1 TO MK1Z]")).containsExactly("s1", "s3", "s5");
        post("/indices/search", Map.of("queryString", "ThingName:" + p + "upper"))
                .error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
    }

    @Test
    void returnsAwsShapedThingsAndPagesWithNextToken() {
        JsonNode first = post("/indices/search", Map.of("indexName", "AWS_Things", "queryString",
                "thingGroupNames:" + p + "east", "maxResults", 1)).ok().body();
        JsonNode thing = first.path("things").get(0);
        assertThat(thing.path("thingName").asString()).isEqualTo(p + "s1");
        assertThat(thing.path("thingGroupNames").get(0).asString()).isEqualTo(p + "east");
        assertThat(thing.path("attributes").path("floor").asString()).isEqualTo("1");
        assertThat(thing.path("thingId").asString()).isNotBlank();
        JsonNode second = post("/indices/search", Map.of("queryString", "thingGroupNames:" + p + "east",
                "maxResults", 1, "nextToken", first.path("nextToken").asString())).ok().body();
        assertThat(second.path("things").get(0).path("thingName").asString()).isEqualTo(p + "s2");
        assertThat(second.has("nextToken")).isFalse();
    }

    @Test
    void rejectsQueriesOutsideTheSyntax() {
        post("/indices/search", Map.of("queryString", "thingName:*abc"))
                .error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        post("/indices/search", Map.of("queryString", "(thingName:a"))
                .error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        post("/indices/search", Map.of("indexName", "nosuch", "queryString", "thingName:a"))
                .error(HttpStatus.NOT_FOUND, "ResourceNotFoundException");
    }
}
