package io.openiot.sink.item;

import io.openiot.sink.table.KeySchema.KeyType;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Answers the read API: pages of items and table descriptions, 404 for tables that do not exist. */
@Service
class ItemReader {

    private final ItemRepository repository;

    ItemReader(ItemRepository repository) {
        this.repository = repository;
    }

    @Transactional(readOnly = true)
    ItemPage page(ItemQuery query) {
        TableDescription description = repository.table(query.table())
                .orElseThrow(() -> new TableNotFoundException(query.table()));
        ItemQuery.SortRange range = query.sortKeys() == null ? null : sortRange(description, query);
        // one row more than asked tells whether another page exists, without a count
        List<ItemRepository.ItemRow> rows = repository.find(query, range, query.limit() + 1);
        boolean more = rows.size() > query.limit();
        List<ItemRepository.ItemRow> page = more ? rows.subList(0, query.limit()) : rows;
        String nextToken = null;
        if (more) {
            ItemRepository.ItemRow last = page.get(page.size() - 1);
            nextToken = new PageToken(last.view().timestamp(), last.id()).encode();
        }
        List<ItemView> items = page.stream().map(ItemRepository.ItemRow::view).toList();
        return new ItemPage(items, items.size(), nextToken);
    }

    TableList tables() {
        return new TableList(repository.tables());
    }

    @Transactional(readOnly = true)
    TableDescription describe(String table) {
        TableDescription description = repository.table(table).orElseThrow(() -> new TableNotFoundException(table));
        return description.withItemCount(repository.itemCount(table));
    }

    /** {@code GET /tables/{table}/items/{partitionKey}[/{sortKey}]}: the item with that key, by its unique index. */
    @Transactional(readOnly = true)
    ItemView item(String table, String partitionKey, String sortKey) {
        TableDescription description = repository.table(table).orElseThrow(() -> new TableNotFoundException(table));
        if (description.partitionKeyName() == null) {
            throw new InvalidParameterException("partitionKey", "cannot name one item: table '" + table
                    + "' has no key schema (a time series); list its items instead");
        }
        String partition = canonical("partitionKey", description.partitionKeyType(), partitionKey);
        String itemKey;
        if (description.sortKeyName() == null) {
            if (sortKey != null) {
                throw new InvalidParameterException("sortKey", "given, but table '" + table + "' has no sort key");
            }
            itemKey = "k:";
        } else {
            if (sortKey == null) {
                throw new InvalidParameterException("sortKey", "is required: table '" + table + "' has sort key '"
                        + description.sortKeyName() + "'");
            }
            itemKey = "k:" + canonical("sortKey", description.sortKeyType(), sortKey);
        }
        return repository.item(table, partition, itemKey).orElseThrow(() -> new ItemNotFoundException(table));
    }

    /** The request's sort-key range or prefix, checked against the table and made canonical. */
    private static ItemQuery.SortRange sortRange(TableDescription description, ItemQuery query) {
        ItemQuery.SortKeys keys = query.sortKeys();
        String parameter = keys.from() != null ? "sortKeyFrom" : keys.to() != null ? "sortKeyTo" : "sortKeyPrefix";
        if (description.sortKeyName() == null) {
            throw new InvalidParameterException(parameter, "table '" + query.table() + "' has no sort key");
        }
        if (query.partitionKey() == null) {
            throw new InvalidParameterException("partitionKey", "is required with a sort-key range or prefix");
        }
        KeyType type = KeyType.parse(description.sortKeyType());
        if (keys.prefix() != null && type == KeyType.N) {
            throw new InvalidParameterException("sortKeyPrefix", "cannot apply to a number sort key");
        }
        return new ItemQuery.SortRange(type,
                keys.from() == null ? null : canonical("sortKeyFrom", description.sortKeyType(), keys.from()),
                keys.to() == null ? null : canonical("sortKeyTo", description.sortKeyType(), keys.to()),
                // a binary prefix is compared as bytes (ItemRepository decodes it)
                keys.prefix() == null ? null : canonical("sortKeyPrefix", description.sortKeyType(), keys.prefix()));
    }

    private static String canonical(String parameter, String type, String value) {
        KeyType keyType = KeyType.parse(type);
        try {
            return keyType.canonical(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(parameter, "must be of type " + keyType + ": " + e.getMessage());
        }
    }

}
