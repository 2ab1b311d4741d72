package io.openiot.web.testapp;

import io.openiot.web.problem.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** AWS IoT's paths for things and publish, answered with AWS's shapes, plus endpoints that fail on purpose. */
@RestController
public class TestController {

    public static final List<String> PUBLISHED = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Object>> things = new java.util.concurrent.ConcurrentHashMap<>();

    /** As the AWS IoT control plane's ListThings. */
    @GetMapping("/things")
    Map<String, Object> listThings() {
        return Map.of("things", new ArrayList<>(things.values()));
    }

    /** As CreateThing: the body may carry attributePayload. */
    @PostMapping(path = "/things/{thingName}", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> createThing(@PathVariable String thingName, @RequestBody(required = false) Map<String, Object> body) {
        Map<String, Object> thing = Map.of("thingName", thingName,
                "thingArn", "arn:aws:iot:us-east-1:000000000000:thing/" + thingName, "thingId", thingName);
        things.put(thingName, Map.of("thingName", thingName, "thingArn", thing.get("thingArn")));
        return thing;
    }

    @GetMapping("/things/{thingName}")
    Map<String, Object> describeThing(@PathVariable String thingName) {
        if (!things.containsKey(thingName)) {
            throw new ThingNotFoundException(thingName);
        }
        return Map.of("thingName", thingName, "version", 1);
    }

    @DeleteMapping("/things/{thingName}")
    Map<String, Object> deleteThing(@PathVariable String thingName) {
        things.remove(thingName);
        return Map.of();
    }

    /** As the data plane's Publish: the topic with its slashes encoded, the body passed on as is. */
    @PostMapping("/topics/{*topic}")
    Map<String, Object> publish(@PathVariable String topic, @RequestParam(defaultValue = "0") int qos,
                                @RequestBody(required = false) byte[] payload) {
        PUBLISHED.add((topic.startsWith("/") ? topic.substring(1) : topic) + " "
                + new String(payload == null ? new byte[0] : payload, java.nio.charset.StandardCharsets.UTF_8));
        return Map.of();
    }

    @GetMapping("/clients")
    List<String> clients() {
        return List.of("admin-client");
    }

    @GetMapping("/internal/ping")
    Map<String, Object> internalPing() {
        return Map.of("ok", true);
    }

    @GetMapping("/fail/unexpected")
    Map<String, Object> unexpected() {
        throw new IllegalStateException("password=hunter2 at jdbc:postgresql://db-internal:5432/secret");
    }

    @GetMapping("/fail/domain")
    Map<String, Object> domain() {
        throw new DomainRuleException("Expected FROM at line 1, column 7");
    }

    @PostMapping(path = "/echo", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> echo(@RequestBody Map<String, Object> body) {
        return body;
    }

    static final class ThingNotFoundException extends ApiException {
        ThingNotFoundException(String thingName) {
            super(HttpStatus.NOT_FOUND, "ResourceNotFoundException", "Thing " + thingName + " does not exist");
        }
    }

    /** A domain exception that knows nothing of the web layer. */
    static final class DomainRuleException extends RuntimeException {
        DomainRuleException(String message) {
            super(message);
        }
    }
}
