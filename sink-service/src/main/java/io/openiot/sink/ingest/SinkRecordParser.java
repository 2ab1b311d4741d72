package io.openiot.sink.ingest;

import io.openiot.contracts.SinkRecord;
import io.openiot.sink.table.KeySchema.KeyType;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the value of one {@code iot.sink-records} record into a {@link StorableItem}, or says why it cannot be stored.
 * Everything PostgreSQL would reject is caught here, so that one bad record never fails a whole batch insert.
 * Reasons never quote the payload.
 */
final class SinkRecordParser {

    static final int MAX_TABLE_NAME_LENGTH = 255;
    static final int MAX_PARTITION_KEY_LENGTH = 2048;
    static final int MAX_SORT_KEY_LENGTH = 1024;
    static final int MAX_SOURCE_MESSAGE_ID_LENGTH = 1024;
    /** DynamoDB's limit for key attribute names. */
    static final int MAX_ATTRIBUTE_NAME_LENGTH = 255;
    /** 9999-12-31T23:59:59.999Z: later instants do not round-trip through ISO-8601 query parameters. */
    static final long MAX_TIMESTAMP = 253_402_300_799_999L;

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    /** A JSON {@code \u0000} escape (not preceded by an escaped backslash): jsonb cannot hold it. */
    private static final Pattern NUL_ESCAPE = Pattern.compile("(?<!\\\\)(?:\\\\\\\\)*\\\\u0000");

    private final JsonMapper json;
    private final int maxItemBytes;

    SinkRecordParser(JsonMapper json, int maxItemBytes) {
        // a stored item keeps every digit it was sent with; doubles would round 0.1000000000000000055 and overflow 1e400
        this.json = json.rebuild().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
        this.maxItemBytes = maxItemBytes;
    }

    /** The outcome for one record value. */
    sealed interface Result permits Valid, Malformed {
    }

    record Valid(StorableItem item) implements Result {
    }

    record Malformed(String reason) implements Result {
    }

    Result parse(byte[] value) {
        if (value == null || value.length == 0) {
            return new Malformed("empty value");
        }
        SinkRecord record;
        try {
            record = json.readValue(value, SinkRecord.class);
        } catch (StreamReadException e) {
            return new Malformed("not JSON");
        } catch (DatabindException e) {
            return new Malformed(bindingProblem(e));
        } catch (JacksonException e) {
            return new Malformed("unreadable: " + e.getClass().getSimpleName());
        }
        if (record == null) {
            return new Malformed("JSON null");
        }
        String problem = problem(record);
        if (problem != null) {
            return new Malformed(problem);
        }
        String itemJson = json.writeValueAsString(record.item());
        if (itemJson.getBytes(StandardCharsets.UTF_8).length > maxItemBytes) {
            return new Malformed("item larger than " + maxItemBytes + " bytes");
        }
        if (NUL_ESCAPE.matcher(itemJson).find()) {
            return new Malformed("item contains a NUL character");
        }
        KeyType partitionKeyType;
        KeyType sortKeyType;
        try {
            partitionKeyType = record.partitionKeyType() == null ? null : KeyType.parse(record.partitionKeyType());
            sortKeyType = record.sortKeyType() == null ? null : KeyType.parse(record.sortKeyType());
        } catch (IllegalArgumentException e) {
            return new Malformed(e.getMessage());
        }
        String nameProblem = optionalName("partitionKeyName", record.partitionKeyName());
        if (nameProblem == null) {
            nameProblem = optionalName("sortKeyName", record.sortKeyName());
        }
        if (nameProblem == null) {
            nameProblem = optionalName("payloadField", record.payloadField());
        }
        if (nameProblem != null) {
            return new Malformed(nameProblem);
        }
        return new Valid(new StorableItem(record.table(), record.partitionKey(), record.sortKey(), record.item(),
                record.sourceMessageId(), record.timestamp(), record.operation(), record.partitionKeyName(),
                partitionKeyType, record.sortKeyName(), sortKeyType, record.payloadField(),
                Boolean.TRUE.equals(record.keysFromItem())));
    }

    private static String problem(SinkRecord record) {
        if (record.table().length() > MAX_TABLE_NAME_LENGTH || !TABLE_NAME.matcher(record.table()).matches()) {
            return "table name must be 1-" + MAX_TABLE_NAME_LENGTH + " characters of A-Z a-z 0-9 _ . -";
        }
        String keyProblem = text("partitionKey", record.partitionKey(), MAX_PARTITION_KEY_LENGTH);
        if (keyProblem != null) {
            return keyProblem;
        }
        if (record.sortKey() != null) {
            keyProblem = text("sortKey", record.sortKey(), MAX_SORT_KEY_LENGTH);
            if (keyProblem != null) {
                return keyProblem;
            }
        }
        keyProblem = text("sourceMessageId", record.sourceMessageId(), MAX_SOURCE_MESSAGE_ID_LENGTH);
        if (keyProblem != null) {
            return keyProblem;
        }
        if (record.item().isNull() || record.item().isMissingNode()) {
            return "missing field 'item'";
        }
        if (record.timestamp() <= 0 || record.timestamp() > MAX_TIMESTAMP) {
            return "timestamp missing or out of range";
        }
        return null;
    }

    private static String optionalName(String field, String value) {
        return value == null ? null : text(field, value, MAX_ATTRIBUTE_NAME_LENGTH);
    }

    private static String text(String field, String value, int maxLength) {
        if (value.isEmpty() || value.length() > maxLength) {
            return field + " must be 1-" + maxLength + " characters";
        }
        if (value.indexOf('\0') >= 0) {
            return field + " contains a NUL character";
        }
        return null;
    }

    /** SinkRecord's constructor names the missing field in its NullPointerException. */
    private static String bindingProblem(DatabindException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof NullPointerException npe && npe.getMessage() != null) {
                return "missing field '" + npe.getMessage() + "'";
            }
        }
        if (!e.getPath().isEmpty() && e.getPath().get(0).getPropertyName() != null) {
            return "field '" + e.getPath().get(0).getPropertyName() + "' missing or of the wrong type";
        }
        return "not a SinkRecord (" + e.getClass().getSimpleName() + ")";
    }
}
