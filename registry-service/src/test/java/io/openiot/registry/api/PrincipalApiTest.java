package io.openiot.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

class PrincipalApiTest extends RegistryApiTestBase {

    private static final String HEADER = "x-amzn-principal";

    private String cert(String id) {
        return "arn:aws:iot:us-east-1:000000000000:cert/" + p + id;
    }

    @Test
    void attachesListsBothWaysAndDetaches() {
        post("/things/" + p + "a", null).ok();
        post("/things/" + p + "b", null).ok();

        put("/things/" + p + "a/principals", null, HEADER, cert("c1")).ok();
        put("/things/" + p + "b/principals", null, HEADER, cert("c1")).ok();
        put("/things/" + p + "a/principals", null, HEADER, cert("c2")).ok();

        assertThat(strings(get("/things/" + p + "a/principals").ok().body(), "principals"))
                .containsExactly(cert("c1"), cert("c2"));
        assertThat(strings(get("/principals/things", HEADER, cert("c1")).ok().body(), "things"))
                .containsExactly(p + "a", p + "b");
        delete("/things/" + p + "a/principals", HEADER, cert("c1")).ok();
        assertThat(strings(get("/principals/things", HEADER, cert("c1")).ok().body(), "things"))
                .containsExactly(p + "b");
        get("/things/" + p + "nosuch/principals").error(HttpStatus.NOT_FOUND, "ResourceNotFoundException");
        put("/things/" + p + "nosuch/principals", null, HEADER, cert("c1"))
                .error(HttpStatus.NOT_FOUND, "ResourceNotFoundException");
    }

    @Test
    void anExclusivePrincipalBelongsToOneThingOnly() {
        post("/things/" + p + "a", null).ok();
        post("/things/" + p + "b", null).ok();

        put("/things/" + p + "a/principals?thingPrincipalType=EXCLUSIVE_THING", null, HEADER, cert("x")).ok();
        put("/things/" + p + "b/principals", null, HEADER, cert("x")).error(HttpStatus.BAD_REQUEST,
                "InvalidRequestException");
        put("/things/" + p + "b/principals", null, HEADER, cert("shared")).ok();
        put("/things/" + p + "a/principals?thingPrincipalType=EXCLUSIVE_THING", null, HEADER, cert("shared"))
                .error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        put("/things/" + p + "a/principals?thingPrincipalType=SOMETIMES", null, HEADER, cert("y"))
                .error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
    }

    @Test
    void aThingWithPrincipalsCannotBeDeleted() {
        post("/things/" + p + "a", null).ok();
        put("/things/" + p + "a/principals", null, HEADER, cert("c")).ok();

        delete("/things/" + p + "a").error(HttpStatus.BAD_REQUEST, "InvalidRequestException");
        delete("/things/" + p + "a/principals", HEADER, cert("c")).ok();
        delete("/things/" + p + "a").ok();
    }

    static List<String> strings(JsonNode body, String member) {
        List<String> values = new ArrayList<>();
        body.path(member).forEach(v -> values.add(v.asString()));
        return values;
    }
}
