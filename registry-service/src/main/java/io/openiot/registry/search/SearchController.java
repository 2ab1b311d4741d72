package io.openiot.registry.search;

import io.openiot.registry.RegistryProperties;
import io.openiot.registry.domain.KeysetPage;
import io.openiot.registry.search.domain.Query;
import io.openiot.registry.search.domain.QueryParser;
import io.openiot.registry.web.ResourceNotFoundException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * SearchIndex over the registry index {@code AWS_Things}: the query runs as one PostgreSQL query, a page at a time
 * in thing-name order (keyset pagination, like the list calls).
 */
@RestController
class SearchController {

    static final String THINGS_INDEX = "AWS_Things";
    private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() { };

    record SearchIndex(String indexName, String queryString, Integer maxResults, String nextToken,
                       String queryVersion) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final RegistryProperties properties;

    SearchController(JdbcClient jdbc, JsonMapper json, RegistryProperties properties) {
        this.jdbc = jdbc;
        this.json = json;
        this.properties = properties;
    }

    @PostMapping("/indices/search")
    @Transactional(readOnly = true)
    Map<String, Object> searchIndex(@RequestBody SearchIndex body) {
        if (body.indexName() != null && !THINGS_INDEX.equals(body.indexName())) {
            throw new ResourceNotFoundException("Index " + body.indexName() + " does not exist");
        }
        Query query = QueryParser.parse(body.queryString());
        KeysetPage page = KeysetPage.of(body.maxResults(), body.nextToken(), properties.defaultPageSize());
        SearchSql.Statement statement = SearchSql.statement(query, page);
        List<Map<String, Object>> rows = jdbc.sql(statement.sql()).params(statement.params()).query((rs, n) -> {
            Map<String, Object> thing = new LinkedHashMap<>();
            thing.put("thingName", rs.getString("name"));
            thing.put("thingId", rs.getString("id"));
            if (rs.getString("thing_type") != null) {
                thing.put("thingTypeName", rs.getString("thing_type"));
            }
            thing.put("thingGroupNames", Arrays.asList((String[]) rs.getArray("groups").getArray()));
            thing.put("attributes", json.readValue(rs.getString("attributes"), ATTRIBUTES));
            return thing;
        }).list();
        Map<String, Object> response = page.response("things", rows, thing -> (String) thing.get("thingName"));
        response.put("thingGroups", List.of());
        return response;
    }
}
