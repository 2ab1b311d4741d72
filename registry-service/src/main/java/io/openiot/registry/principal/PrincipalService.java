package io.openiot.registry.principal;

import io.openiot.contracts.RegistryEvent;
import io.openiot.registry.RegistryProperties;
import io.openiot.registry.domain.KeysetPage;
import io.openiot.registry.domain.RegistryRules;
import io.openiot.registry.events.EventOutbox;
import io.openiot.registry.web.InvalidRequestException;
import io.openiot.registry.web.ResourceNotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** AttachThingPrincipal, DetachThingPrincipal, ListThingPrincipals and ListPrincipalThings. */
@Service
class PrincipalService {

    static final String EXCLUSIVE = "EXCLUSIVE_THING";
    static final String NON_EXCLUSIVE = "NON_EXCLUSIVE_THING";

    private final JdbcClient jdbc;
    private final RegistryProperties properties;
    private final EventOutbox events;
    private final Clock clock;

    PrincipalService(JdbcClient jdbc, RegistryProperties properties, EventOutbox events, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    void attach(String thing, String principal, String type) {
        RegistryRules.thingName(thing);
        RegistryRules.principal(principal);
        String principalType = type == null ? NON_EXCLUSIVE : type;
        if (!EXCLUSIVE.equals(principalType) && !NON_EXCLUSIVE.equals(principalType)) {
            throw new InvalidRequestException("thingPrincipalType must be EXCLUSIVE_THING or NON_EXCLUSIVE_THING");
        }
        lockThing(thing);
        // attachments of one principal are decided one at a time, so "exclusive" holds across things
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))").param(principal).query().listOfRows();
        List<Map<String, Object>> existing = jdbc.sql(
                        "SELECT thing_name, principal_type FROM thing_principal WHERE principal = ?")
                .param(principal).query().listOfRows();
        for (Map<String, Object> row : existing) {
            boolean sameThing = thing.equals(row.get("thing_name"));
            if (!sameThing && (EXCLUSIVE.equals(principalType) || EXCLUSIVE.equals(row.get("principal_type")))) {
                throw new InvalidRequestException("Principal " + principal + " is already attached to thing "
                        + row.get("thing_name") + (EXCLUSIVE.equals(principalType) ? "; an EXCLUSIVE_THING principal"
                        + " can be attached to one thing only" : " exclusively"));
            }
            if (sameThing && principalType.equals(row.get("principal_type"))) {
                return; // attaching again changes nothing, as in AWS
            }
        }
        jdbc.sql("""
                        INSERT INTO thing_principal (thing_name, principal, principal_type, attached_at)
                        VALUES (?, ?, ?, ?)
                        ON CONFLICT (thing_name, principal) DO UPDATE SET principal_type = EXCLUDED.principal_type""")
                .params(thing, principal, principalType, Timestamp.from(clock.instant())).update();
        events.principal(RegistryEvent.PRINCIPAL_ATTACHED, thing, principal);
    }

    @Transactional
    void detach(String thing, String principal) {
        RegistryRules.thingName(thing);
        RegistryRules.principal(principal);
        lockThing(thing);
        if (jdbc.sql("DELETE FROM thing_principal WHERE thing_name = ? AND principal = ?").params(thing, principal)
                .update() > 0) {
            events.principal(RegistryEvent.PRINCIPAL_DETACHED, thing, principal);
        }
    }

    @Transactional(readOnly = true)
    Map<String, Object> principalsOf(String thing, Integer maxResults, String nextToken) {
        RegistryRules.thingName(thing);
        if (!jdbc.sql("SELECT EXISTS (SELECT 1 FROM thing WHERE name = ?)").param(thing).query(Boolean.class)
                .single()) {
            throw notFound(thing);
        }
        return page("principals", "SELECT principal FROM thing_principal WHERE thing_name = ? AND principal > ?"
                + " ORDER BY principal LIMIT ?", thing, maxResults, nextToken);
    }

    @Transactional(readOnly = true)
    Map<String, Object> thingsOf(String principal, Integer maxResults, String nextToken) {
        RegistryRules.principal(principal);
        return page("things", "SELECT thing_name FROM thing_principal WHERE principal = ? AND thing_name > ?"
                + " ORDER BY thing_name LIMIT ?", principal, maxResults, nextToken);
    }

    private Map<String, Object> page(String member, String sql, String key, Integer maxResults, String nextToken) {
        KeysetPage page = KeysetPage.of(maxResults, nextToken, properties.defaultPageSize());
        List<String> values = jdbc.sql(sql).params(key, page.after() == null ? "" : page.after(), page.size() + 1)
                .query(String.class).list();
        return page.response(member, values, value -> value);
    }

    private void lockThing(String thing) {
        jdbc.sql("SELECT name FROM thing WHERE name = ? FOR UPDATE").param(thing).query(String.class).optional()
                .orElseThrow(() -> notFound(thing));
    }

    private static ResourceNotFoundException notFound(String thing) {
        return new ResourceNotFoundException("Thing " + thing + " cannot be found.");
    }
}
