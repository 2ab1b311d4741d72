-- Issue 9: tables get a key schema, items an identity. See docs/services/sink-service.md.

-- Key schema of a table. Types as DynamoDB names them: S string, N number, B binary (base64 on the wire). A table
-- created by a record without key names (the old contract) keeps null names: its items are a time series.
ALTER TABLE sink_table
    ADD COLUMN partition_key_type CHAR(1)     CHECK (partition_key_type IN ('S', 'N', 'B')),
    ADD COLUMN sort_key_type      CHAR(1)     CHECK (sort_key_type IN ('S', 'N', 'B')),
    ADD COLUMN time_attribute     VARCHAR(255),
    ADD COLUMN ttl_attribute      VARCHAR(255),
    ADD COLUMN retention_days     INTEGER     CHECK (retention_days > 0);

UPDATE sink_table SET partition_key_type = 'S' WHERE partition_key_name IS NOT NULL;
UPDATE sink_table SET sort_key_type = 'S' WHERE sort_key_name IS NOT NULL;

-- item_key identifies an item within its partition: 'k:' || <sort key as text> (or 'k:' without a sort key) for an
-- item written by key (PutItem semantics), 'm:' || <source message id> for an appended one (the old contract, where
-- every record was a new item). sort_key_num holds a number sort key as NUMERIC, for ranges in numeric order.
ALTER TABLE item
    ADD COLUMN item_key     TEXT,
    ADD COLUMN sort_key_num NUMERIC;

-- every item stored so far was appended
UPDATE item SET item_key = 'm:' || source_message_id;
ALTER TABLE item ALTER COLUMN item_key SET NOT NULL;

-- source_message_id is now the last source applied to the item, which several sources may have touched
ALTER TABLE item DROP CONSTRAINT item_source_message_uk;
ALTER TABLE item ADD CONSTRAINT item_key_uk UNIQUE (table_name, partition_key, item_key);

-- Source message ids already applied, per table: a redelivered or replayed record is skipped, so a replayed INSERT
-- after a later UPDATE or DELETE of the same item cannot bring old state back. Pruned by age
-- (iot.sink.applied-ids-retention), which must exceed how long a record can wait in the dead-letter topic.
CREATE TABLE applied_message (
    table_name        VARCHAR(255) NOT NULL,
    source_message_id TEXT         NOT NULL,
    applied_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (table_name, source_message_id)
);
-- arrival order: pruning deletes from the old end
CREATE INDEX applied_message_age_idx ON applied_message USING brin (applied_at);

INSERT INTO applied_message (table_name, source_message_id, applied_at)
SELECT table_name, source_message_id, stored_at FROM item;

-- arrival time grows with the heap: a BRIN index keeps time ranges (export, retention) cheap at any size
CREATE INDEX item_stored_at_brin ON item USING brin (stored_at);
-- sort-key ranges of one partition (Query)
CREATE INDEX item_partition_sort_idx ON item (table_name, partition_key, sort_key COLLATE "C");
CREATE INDEX item_partition_sort_num_idx ON item (table_name, partition_key, sort_key_num)
    WHERE sort_key_num IS NOT NULL;
