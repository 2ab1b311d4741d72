package io.openiot.registry.events;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** DescribeEventConfigurations and UpdateEventConfigurations with AWS's {@code {"THING":{"Enabled":true}}} shape. */
@RestController
class EventConfigurationController {

    record Update(Map<String, JsonNode> eventConfigurations) {
    }

    private final JdbcClient jdbc;

    EventConfigurationController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/event-configurations")
    Map<String, Object> describeEventConfigurations() {
        Map<String, Object> configurations = new LinkedHashMap<>();
        jdbc.sql("SELECT event_type, enabled FROM event_configuration ORDER BY event_type")
                .query((rs, n) -> configurations.put(rs.getString(1), Map.of("Enabled", rs.getBoolean(2))))
                .list();
        Timestamp created = jdbc.sql("SELECT min(updated_at) FROM event_configuration").query(Timestamp.class).single();
        Timestamp modified = jdbc.sql("SELECT max(updated_at) FROM event_configuration").query(Timestamp.class)
                .single();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("eventConfigurations", configurations);
        response.put("creationDate", created.getTime() / 1000.0);
        response.put("lastModifiedDate", modified.getTime() / 1000.0);
        return response;
    }

    @PatchMapping("/event-configurations")
    @Transactional
    Map<String, Object> updateEventConfigurations(@RequestBody Update body) {
        if (body.eventConfigurations() != null) {
            body.eventConfigurations().forEach((type, configuration) -> {
                JsonNode enabled = configuration == null ? null : configuration.get("Enabled");
                int updated = jdbc.sql("UPDATE event_configuration SET enabled = ?, updated_at = now()"
                                + " WHERE event_type = ?")
                        .params(enabled != null && enabled.asBoolean(), type).update();
                if (updated == 0) {
                    throw new io.openiot.registry.web.InvalidRequestException("unknown event type " + type);
                }
            });
        }
        return Map.of();
    }
}
