package io.openiot.policy.thing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the registry projection ({@link ThingProjection} writes it): the things a certificate is attached to, their
 * groups with every ancestor, and the certificates below a group.
 */
@Service
public class Things {

    /** AWS: thing groups nest at most 7 deep; the bound also stops a cycle in inconsistent data. */
    static final int MAX_DEPTH = 8;
    private static final Pattern CERT_ARN = Pattern.compile("arn:aws:iot:[^:]+:\\d{12}:cert/([0-9a-f]{64})");
    private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() { };
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    Things(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A thing the certificate is attached to.
     *
     * @param attachmentType     {@code EXCLUSIVE_THING} or {@code NON_EXCLUSIVE_THING}, or {@code null} while the
     *                           registry's events do not say
     * @param thingGroupNames    the static groups it is in directly
     * @param groupsAndAncestors those groups and all their ancestors, nearest first (the order their policies apply)
     */
    public record AttachedThing(String thingName, String thingTypeName, Map<String, String> attributes,
            String attachmentType, List<String> thingGroupNames, List<String> groupsAndAncestors) {
    }

    /** The certificate id in a certificate ARN, or {@code null} for any other principal. */
    static String certificateId(String principal) {
        Matcher matcher = CERT_ARN.matcher(principal);
        return matcher.matches() ? matcher.group(1) : null;
    }

    /** The live things the certificate is attached to, by name. */
    public List<AttachedThing> attachedTo(String certificateId) {
        return jdbc.sql("""
                        SELECT t.thing_name, t.thing_type_name, t.attributes::text, min(p.attachment_type)
                        FROM projected_thing_principal p JOIN projected_thing t ON t.thing_name = p.thing_name
                        WHERE p.certificate_id = :id AND NOT t.deleted
                        GROUP BY t.thing_name, t.thing_type_name, t.attributes::text ORDER BY t.thing_name""")
                .param("id", certificateId)
                .query((rs, row) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list().stream()
                .map(r -> {
                    List<String> groups = groupsOf(r.name());
                    return new AttachedThing(r.name(), r.type(), JSON.readValue(r.attributes(), ATTRIBUTES),
                            r.attachmentType(), groups, withAncestors(groups));
                }).toList();
    }

    private record Row(String name, String type, String attributes, String attachmentType) {
    }

    /** The live groups a thing is in directly. */
    List<String> groupsOf(String thingName) {
        return jdbc.sql("""
                        SELECT m.group_name FROM projected_thing_group_member m
                        JOIN projected_thing_group g ON g.group_name = m.group_name AND NOT g.deleted
                        WHERE m.thing_name = :name ORDER BY m.group_name""")
                .param("name", thingName).query(String.class).list();
    }

    /** The groups and their live ancestors, nearest first; thing-group policies are inherited down the hierarchy. */
    List<String> withAncestors(List<String> groups) {
        if (groups.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        WITH RECURSIVE up (name, depth) AS (
                            SELECT g.group_name, 0 FROM projected_thing_group g
                            WHERE g.group_name IN (:names) AND NOT g.deleted
                            UNION
                            SELECT parent.group_name, up.depth + 1 FROM up
                            JOIN projected_thing_group child ON child.group_name = up.name
                            JOIN projected_thing_group parent ON parent.group_name = child.parent_name
                                 AND NOT parent.deleted
                            WHERE up.depth < :max)
                        SELECT name FROM up GROUP BY name ORDER BY min(depth), name""")
                .param("names", groups).param("max", MAX_DEPTH).query(String.class).list();
    }

    /** The certificates attached to live things in the group or any group below it. */
    public Set<String> certificatesUnder(String groupName) {
        return Set.copyOf(jdbc.sql("""
                        WITH RECURSIVE down (name, depth) AS (
                            SELECT CAST(:name AS VARCHAR(128)), 0
                            UNION
                            SELECT g.group_name, down.depth + 1 FROM projected_thing_group g
                            JOIN down ON g.parent_name = down.name
                            WHERE down.depth < :max AND NOT g.deleted)
                        SELECT DISTINCT p.certificate_id FROM down
                        JOIN projected_thing_group_member m ON m.group_name = down.name
                        JOIN projected_thing t ON t.thing_name = m.thing_name AND NOT t.deleted
                        JOIN projected_thing_principal p ON p.thing_name = t.thing_name
                        WHERE p.certificate_id IS NOT NULL""")
                .param("name", groupName).param("max", MAX_DEPTH).query(String.class).list());
    }
}
