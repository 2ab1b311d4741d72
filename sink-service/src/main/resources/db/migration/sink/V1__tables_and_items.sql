-- Catalogue of sink tables; a table is created on its first write. The key names are null until a writer tells
-- them (SinkRecord carries key values, not key names).
CREATE TABLE sink_table (
    name                VARCHAR(255) PRIMARY KEY,
    partition_key_name  VARCHAR(255),
    sort_key_name       VARCHAR(255),
    created_at          TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- One row per stored item. No foreign key to sink_table: the writer creates the catalogue row in the same
-- transaction, and leaving the key out keeps ingest cheap and the table free to be partitioned later.
CREATE TABLE item (
    id                 BIGSERIAL    PRIMARY KEY,
    table_name         VARCHAR(255) NOT NULL,
    partition_key      TEXT         NOT NULL,
    sort_key           TEXT,
    item               JSONB        NOT NULL,
    source_message_id  TEXT         NOT NULL,
    message_time       TIMESTAMPTZ  NOT NULL,
    stored_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    -- a redelivered record (same table and source message) is stored once: the writer inserts ON CONFLICT DO NOTHING
    CONSTRAINT item_source_message_uk UNIQUE (table_name, source_message_id)
);

-- newest-first keyset pages of one partition, and of a whole table
CREATE INDEX item_partition_time_idx ON item (table_name, partition_key, message_time DESC, id DESC);
CREATE INDEX item_table_time_idx ON item (table_name, message_time DESC, id DESC);
