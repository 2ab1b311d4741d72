package io.openiot.sink.item;

import io.openiot.sink.table.KeySchema;
import io.openiot.sink.table.KeySchema.KeyType;
import io.openiot.sink.table.TableCatalog;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates and deletes tables over REST. */
@Service
class TableAdministration {

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    private final TableCatalog catalog;
    private final ItemReader reader;

    TableAdministration(TableCatalog catalog, ItemReader reader) {
        this.catalog = catalog;
        this.reader = reader;
    }

    @Transactional
    TableDescription create(CreateTableRequest request) {
        if (request.tableName() == null || !TABLE_NAME.matcher(request.tableName()).matches()) {
            throw new InvalidParameterException("tableName", "must be 3-255 characters of A-Z a-z 0-9 _ . -");
        }
        if (request.partitionKey() == null || blank(request.partitionKey().name())) {
            throw new InvalidParameterException("partitionKey", "is required, with a name and a type");
        }
        KeyType partitionType = type("partitionKey", request.partitionKey());
        String sortName = null;
        KeyType sortType = null;
        if (request.sortKey() != null) {
            if (blank(request.sortKey().name())) {
                throw new InvalidParameterException("sortKey", "needs a name");
            }
            sortName = request.sortKey().name();
            sortType = type("sortKey", request.sortKey());
            if (sortName.equals(request.partitionKey().name())) {
                throw new InvalidParameterException("sortKey", "must not have the partition key's name");
            }
        }
        if (request.retentionDays() != null && request.retentionDays() < 1) {
            throw new InvalidParameterException("retentionDays", "must be at least 1");
        }
        KeySchema schema = new KeySchema(request.partitionKey().name(), partitionType, sortName, sortType);
        if (!catalog.create(request.tableName(), schema, emptyToNull(request.timeAttribute()),
                emptyToNull(request.ttlAttribute()), request.retentionDays(),
                request.numericAttributes() == null ? List.of() : request.numericAttributes())) {
            throw new TableInUseException(request.tableName());
        }
        return reader.describe(request.tableName());
    }

    @Transactional
    void delete(String table) {
        if (!catalog.delete(table)) {
            throw new TableNotFoundException(table);
        }
    }

    private static KeyType type(String parameter, CreateTableRequest.KeyAttribute key) {
        if (key.type() == null) {
            throw new InvalidParameterException(parameter, "needs a type: S, N or B");
        }
        try {
            return KeyType.parse(key.type());
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(parameter, e.getMessage());
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static String emptyToNull(String text) {
        return blank(text) ? null : text;
    }
}
