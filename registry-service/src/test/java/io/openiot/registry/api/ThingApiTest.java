package io.openiot.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

class ThingApiTest extends RegistryApiTestBase {

    @Test
    void createsAndDescribesAThingWithArnUuidIdAndVersionOne() {
        JsonNode created = post("/things/" + p + "lamp", Map.of("attributePayload",
                Map.of("attributes", Map.of("floor", "2")))).ok().body();

        assertThat(created.path("thingName").asString()).isEqualTo(p + "lamp");
        assertThat(created.path("thingArn").asString()).isEqualTo("arn:aws:iot:us-east-1:000000000000:thing/" + p
                + "lamp");
        assertThat(created.path("thingId").asString()).matches("[0-9a-f-]{36}");
        JsonNode described = get("/things/" + p + "lamp").ok().body();
        assertThat(described.path("defaultClientId").asString()).isEqualTo(p + "lamp");
        assertThat(described.path("thingId").asString()).isEqualTo(created.path("thingId").asString());
        assertThat(described.path("attributes").path("floor").asString()).isEqualTo("2");
        assertThat(described.path("version").asLong()).isEqualTo(1);
        assertThat(described.has("thingTypeName")).isFalse();
    }

    @Test
    void createThingIsIdempotentForTheSameRequestAndConflictsForADifferentOne() {
        Map<String, Object> body = Map.of("attributePayload", Map.of("attributes", Map.of("a", "1")));
        String id = post("/things/" + p + "x", body).ok().body().path("thingId").asString();

        assertThat(post("/things/" + p + "x", body).ok().body().path("thingId").asString()).isEqualTo(id);
        post("/things/" + p + "x", Map.of("attributePayload", Map.of("attributes", Map.of("a", "2"))))
                .error(HttpStatus.CONFLICT, "ResourceAlreadyExistsException");
    }

    @Test
    void rejectsNamesAndAttributesOutsideAwsPatternsAndLimits() {
        post("/things/bad name!", null).error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        post("/things/" + "a".repeat(129), null).error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        post("/things/" + p + "v", Map.of("attributePayload", Map.of("attributes", Map.of("k", "white space"))))
                .error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        post("/things/" + p + "four", Map.of("attributePayload", Map.of("attributes",
                Map.of("a", "1", "b", "2", "c", "3", "d", "4"))))
                .error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        post("/thing-types/" + p + "type", null).ok();
        post("/things/" + p + "four", Map.of("thingTypeName", p + "type", "attributePayload", Map.of("attributes",
                Map.of("a", "1", "b", "2", "c", "3", "d", "4")))).ok();
        get("/things?maxResults=251").error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        get("/things?maxResults=0").error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        get("/things?nextToken=garbage").error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
    }

    @Test
    void unknownThingOrTypeIsResourceNotFound() {
        assertThat(get("/things/" + p + "missing").error(HttpStatus.NOT_FOUND, "ResourceNotFoundException").message())
                .contains(p + "missing");
        post("/things/" + p + "typed", Map.of("thingTypeName", p + "nosuchtype"))
                .error(HttpStatus.NOT_FOUND, "ResourceNotFoundException");
        patch("/things/" + p + "missing", Map.of()).error(HttpStatus.NOT_FOUND, "ResourceNotFoundException");
    }

    @Test
    void updateMergesOrReplacesAttributesAndBumpsTheVersion() {
        post("/things/" + p + "u", Map.of("attributePayload", Map.of("attributes", Map.of("a", "1", "b", "2")))).ok();

        patch("/things/" + p + "u", Map.of("attributePayload", Map.of("attributes", Map.of("b", "", "c", "3"),
                "merge", true))).ok();
        JsonNode merged = get("/things/" + p + "u").ok().body();
        assertThat(JSON.convertValue(merged.path("attributes"), Map.class)).isEqualTo(Map.of("a", "1", "c", "3"));
        assertThat(merged.path("version").asLong()).isEqualTo(2);

        patch("/things/" + p + "u", Map.of("attributePayload", Map.of("attributes", Map.of("z", "9")))).ok();
        JsonNode replaced = get("/things/" + p + "u").ok().body();
        assertThat(JSON.convertValue(replaced.path("attributes"), Map.class)).isEqualTo(Map.of("z", "9"));
        assertThat(replaced.path("version").asLong()).isEqualTo(3);
    }

    @Test
    void expectedVersionMismatchIsVersionConflictOnUpdateAndDelete() {
        post("/things/" + p + "v", null).ok();

        patch("/things/" + p + "v", Map.of("expectedVersion", 5)).error(HttpStatus.CONFLICT,
                "VersionConflictException");
        patch("/things/" + p + "v", Map.of("expectedVersion", 1, "attributePayload",
                Map.of("attributes", Map.of("a", "1")))).ok();
        delete("/things/" + p + "v?expectedVersion=1").error(HttpStatus.CONFLICT, "VersionConflictException");
        delete("/things/" + p + "v?expectedVersion=2").ok();
        get("/things/" + p + "v").error(HttpStatus.NOT_FOUND, "ResourceNotFoundException");
        delete("/things/" + p + "v").ok(); // AWS: deleting a thing that does not exist succeeds
    }

    @Test
    void setsAndRemovesTheThingTypeRefusingDeprecatedTypesAndTheCombination() {
        post("/thing-types/" + p + "t1", null).ok();
        post("/thing-types/" + p + "old", null).ok();
        post("/thing-types/" + p + "old/deprecate", Map.of()).ok();
        post("/things/" + p + "th", null).ok();

        patch("/things/" + p + "th", Map.of("thingTypeName", p + "t1")).ok();
        assertThat(get("/things/" + p + "th").body().path("thingTypeName").asString()).isEqualTo(p + "t1");
        patch("/things/" + p + "th", Map.of("thingTypeName", p + "old"))
                .error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        post("/things/" + p + "new", Map.of("thingTypeName", p + "old"))
                .error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        patch("/things/" + p + "th", Map.of("thingTypeName", p + "t1", "removeThingType", true))
                .error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        patch("/things/" + p + "th", Map.of("removeThingType", true)).ok();
        assertThat(get("/things/" + p + "th").body().has("thingTypeName")).isFalse();
    }

    @Test
    void listsWithFiltersAndPagesWithAnOpaqueToken() {
        post("/thing-types/" + p + "sensor", null).ok();
        for (int i = 0; i < 7; i++) {
            post("/things/" + p + "n" + i, Map.of("thingTypeName", p + "sensor", "attributePayload",
                    Map.of("attributes", Map.of("room", i % 2 == 0 ? "kitchen" + i : "hall")))).ok();
        }

        assertThat(names(get("/things?thingTypeName=" + p + "sensor&attributeName=room&attributeValue=hall").ok()
                .body())).containsExactly(p + "n1", p + "n3", p + "n5");
        assertThat(names(get("/things?thingTypeName=" + p + "sensor&attributeName=room&attributeValue=kit"
                + "&usePrefixAttributeValue=true").ok().body()))
                .containsExactly(p + "n0", p + "n2", p + "n4", p + "n6");
        List<String> all = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = get("/things?thingTypeName=" + p + "sensor&maxResults=3"
                    + (token == null ? "" : "&nextToken=" + token)).ok().body();
            all.addAll(names(page));
            token = page.path("nextToken").isMissingNode() ? null : page.path("nextToken").asString();
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(all).containsExactly(p + "n0", p + "n1", p + "n2", p + "n3", p + "n4", p + "n5", p + "n6");
    }

    @Test
    void springsOwnErrorsAlsoCarryTheAwsErrorTypeAndMessage() {
        call("POST", "/things/" + p + "json", "{not json").error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        get("/no-such-path").error(HttpStatus.NOT_FOUND, "ResourceNotFoundException");
    }

    static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.path("things").forEach(t -> names.add(t.isString() ? t.asString() : t.path("thingName").asString()));
        return names;
    }
}
