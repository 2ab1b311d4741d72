package io.openiot.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

class ThingTypeApiTest extends RegistryApiTestBase {

    @Test
    void createsDescribesListsDeprecatesAndDeletesAThingType() {
        JsonNode created = post("/thing-types/" + p + "lamp", Map.of("thingTypeProperties", Map.of(
                "thingTypeDescription", "a lamp", "searchableAttributes", List.of("floor")))).ok().body();
        assertThat(created.path("thingTypeArn").asString()).endsWith(":thingtype/" + p + "lamp");
        post("/thing-types/" + p + "lamp", Map.of("thingTypeProperties", Map.of("thingTypeDescription", "other")))
                .error(HttpStatus.CONFLICT, "ResourceAlreadyExistsException");

        JsonNode described = get("/thing-types/" + p + "lamp").ok().body();
        assertThat(described.path("thingTypeProperties").path("searchableAttributes").get(0).asString())
                .isEqualTo("floor");
        assertThat(described.path("thingTypeMetadata").path("deprecated").asBoolean()).isFalse();
        assertThat(described.path("thingTypeMetadata").path("creationDate").isNumber()).isTrue();
        assertThat(get("/thing-types?thingTypeName=" + p + "lamp").ok().body().path("thingTypes").size())
                .isEqualTo(1);

        delete("/thing-types/" + p + "lamp").error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        post("/thing-types/" + p + "lamp/deprecate", Map.of()).ok();
        assertThat(get("/thing-types/" + p + "lamp").body().path("thingTypeMetadata").path("deprecationDate")
                .isNumber()).isTrue();
        post("/thing-types/" + p + "lamp/deprecate", Map.of("undoDeprecate", true)).ok();
        assertThat(get("/thing-types/" + p + "lamp").body().path("thingTypeMetadata").path("deprecated").asBoolean())
                .isFalse();
        post("/thing-types/" + p + "lamp/deprecate", Map.of()).ok();
        delete("/thing-types/" + p + "lamp").ok();
        get("/thing-types/" + p + "lamp").error(HttpStatus.NOT_FOUND, "ResourceNotFoundException");
    }

    @Test
    void aTypeInUseCannotBeDeletedEvenWhenDeprecated() {
        post("/thing-types/" + p + "used", null).ok();
        post("/things/" + p + "t", Map.of("thingTypeName", p + "used")).ok();
        post("/thing-types/" + p + "used/deprecate", Map.of()).ok();

        assertThat(delete("/thing-types/" + p + "used").error(HttpStatus.BAD_REQUEST, "InvalidRequestException")
                .message()).contains("associated");
        post("/thing-types/" + p + "nosuch/deprecate", Map.of()).error(HttpStatus.NOT_FOUND,
                "ResourceNotFoundException");
        post("/thing-types/" + p + "many", Map.of("thingTypeProperties", Map.of("searchableAttributes",
                List.of("a", "b", "c", "d")))).error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
    }
}
