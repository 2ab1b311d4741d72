package io.openiot.sink.item;

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
        requireTable(query.table());
        // one row more than asked tells whether another page exists, without a count
        List<ItemRepository.ItemRow> rows = repository.find(query, query.limit() + 1);
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
        return new TableDescription(description.tableName(), description.partitionKeyName(),
                description.sortKeyName(), description.createdAt(), repository.itemCount(table));
    }

    private void requireTable(String table) {
        if (repository.table(table).isEmpty()) {
            throw new TableNotFoundException(table);
        }
    }
}
