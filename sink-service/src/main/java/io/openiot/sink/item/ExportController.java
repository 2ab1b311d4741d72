package io.openiot.sink.item;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /tables/{table}/export}: a time range of items streamed from a server-side cursor (fetch size rows at a
 * time), so neither the JVM nor the response holds the range.
 */
@RestController
@Tag(name = "Items")
class ExportController {

    private static final int FETCH_SIZE = 1000;

    private final ItemRepository items;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final JsonMapper json;

    ExportController(ItemRepository items, JdbcTemplate jdbc, TransactionTemplate transaction, JsonMapper json) {
        this.items = items;
        this.jdbc = new JdbcTemplate(jdbc.getDataSource());
        this.jdbc.setFetchSize(FETCH_SIZE);
        this.transaction = transaction;
        // numbers keep every digit in CSV cells
        this.json = json.rebuild().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    }

    @GetMapping(path = "/tables/{table}/export")
    @Operation(summary = "Export items of a time range",
            description = "ndjson: one JSON object per item per line (its attributes, keys included); csv: a header "
                    + "row of the top-level attributes of the items in the range, then one row per item. By arrival "
                    + "time, streamed.")
    @ApiResponse(responseCode = "200", description = "The items")
    ResponseEntity<StreamingResponseBody> export(
            @PathVariable @Parameter(description = "table name") String table,
            @RequestParam(required = false) @Parameter(description = "inclusive start of the arrival time") String from,
            @RequestParam(required = false) @Parameter(description = "exclusive end of the arrival time") String to,
            @RequestParam(defaultValue = "ndjson") @Parameter(schema = @Schema(allowableValues = {"ndjson", "csv"}))
            String format) {
        if (!format.equals("ndjson") && !format.equals("csv")) {
            throw new InvalidParameterException("format", "must be ndjson or csv");
        }
        Instant fromTime = TimeParameter.parse("from", from);
        Instant toTime = TimeParameter.parse("to", to);
        items.table(table).orElseThrow(() -> new TableNotFoundException(table));
        List<Object> parameters = new ArrayList<>(List.of(table));
        StringBuilder where = new StringBuilder(" FROM item WHERE table_name = ? "
                + "AND (expires_at IS NULL OR expires_at > now())");
        if (fromTime != null) {
            where.append(" AND stored_at >= ?");
            parameters.add(OffsetDateTime.ofInstant(fromTime, ZoneOffset.UTC));
        }
        if (toTime != null) {
            where.append(" AND stored_at < ?");
            parameters.add(OffsetDateTime.ofInstant(toTime, ZoneOffset.UTC));
        }
        boolean csv = format.equals("csv");
        List<String> columns = csv ? jdbc.queryForList("SELECT DISTINCT k FROM (SELECT jsonb_object_keys(item) AS k"
                + where + " AND jsonb_typeof(item) = 'object') AS keys ORDER BY k", String.class,
                parameters.toArray()) : List.of();
        StreamingResponseBody body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            if (csv) {
                writer.write(csvRow(columns.stream().map(column -> (Object) column).toList()));
            }
            // a transaction, so that PostgreSQL's driver uses a cursor and honours the fetch size
            transaction.executeWithoutResult(status -> jdbc.query("SELECT item::text" + where + " ORDER BY stored_at",
                    rs -> {
                        try {
                            if (csv) {
                                JsonNode item = json.readTree(rs.getString(1));
                                List<Object> cells = new ArrayList<>(columns.size());
                                for (String column : columns) {
                                    JsonNode value = item.get(column);
                                    cells.add(value == null || value.isNull() ? "" : value.isValueNode()
                                            ? value.asString() : value.toString());
                                }
                                writer.write(csvRow(cells));
                            } else {
                                writer.write(rs.getString(1));
                                writer.write('\n');
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, parameters.toArray()));
            writer.flush();
        };
        return ResponseEntity.ok()
                .contentType(csv ? MediaType.parseMediaType("text/csv") : MediaType.parseMediaType(
                        "application/x-ndjson"))
                .body(body);
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
    private static String csvRow(List<Object> cells) {
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = String.valueOf(cells.get(i));
            if (i > 0) {
                row.append(',');
            }
            if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                    || cell.indexOf('\r') >= 0) {
                row.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                row.append(cell);
            }
        }
        return row.append("\r\n").toString();
    }
}
