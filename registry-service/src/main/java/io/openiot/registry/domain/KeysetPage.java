package io.openiot.registry.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One page of a list call, by keyset: the rows after the key in {@code nextToken}, in key order, one more than the
 * page holds so that the response knows whether a next page exists. Every list call and the search share it, so
 * their paging behaves alike (and never skips or repeats a row that exists throughout).
 *
 * @param size  the page size ({@code maxResults}, within AWS's 1..250, or the default)
 * @param after the key the page starts after, {@code null} for the first page
 */
public record KeysetPage(int size, String after) {

    public static KeysetPage of(Integer maxResults, String nextToken, int defaultSize) {
        return new KeysetPage(PageToken.pageSize(maxResults, defaultSize), PageToken.decode(nextToken));
    }

    /**
     * Appends {@code AND key > ?} (on a page after the first) and {@code ORDER BY key LIMIT ?} to a query that ends in
     * a WHERE clause, and their parameters to {@code params}.
     */
    public void appendTo(StringBuilder sql, List<Object> params, String keyColumn) {
        if (after != null) {
            sql.append(" AND ").append(keyColumn).append(" > ?");
            params.add(after);
        }
        sql.append(" ORDER BY ").append(keyColumn).append(" LIMIT ?");
        params.add(size + 1);
    }

    /** The response: the page's rows under {@code member}, and {@code nextToken} when more rows follow. */
    public <T> Map<String, Object> response(String member, List<T> rows, Function<T, String> key) {
        return response(member, rows, key, Function.identity());
    }

    /** As {@link #response(String, List, Function)}, each row turned into its item of the response. */
    public <T, R> Map<String, Object> response(String member, List<T> rows, Function<T, String> key,
                                               Function<T, R> item) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put(member, rows.subList(0, Math.min(size, rows.size())).stream().map(item).toList());
        if (rows.size() > size) {
            response.put("nextToken", PageToken.encode(key.apply(rows.get(size - 1))));
        }
        return response;
    }
}
