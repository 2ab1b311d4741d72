-- Issue 9: time partitions and retention. See docs/services/sink-service.md ("Layout").
--
-- item is partitioned by LIST (table_name): one partition per sink table, item_t<storage_id>. A table with a
-- retention has its partition sub-partitioned by RANGE (stored_at), one partition per UTC day
-- (item_t<id>_<yyyymmdd>) plus a default one as a safety net; retention drops whole day partitions.
--
-- A unique index of a partitioned table must contain every partition column, and stored_at changes when an item is
-- replaced, so (table_name, partition_key, item_key) can no longer be a unique constraint. The writers keep an item
-- unique by its key themselves: they take a transaction-level advisory lock on the key (sink_lock_items), then
-- update the row with that key wherever it is (an UPDATE of stored_at moves it to today's partition) or insert it.

ALTER TABLE sink_table ADD COLUMN storage_id BIGINT;
CREATE SEQUENCE sink_table_storage_id_seq OWNED BY sink_table.storage_id;
UPDATE sink_table SET storage_id = nextval('sink_table_storage_id_seq');
ALTER TABLE sink_table
    ALTER COLUMN storage_id SET DEFAULT nextval('sink_table_storage_id_seq'),
    ALTER COLUMN storage_id SET NOT NULL,
    ADD CONSTRAINT sink_table_storage_id_uk UNIQUE (storage_id);

ALTER TABLE item RENAME TO item_v4;
ALTER SEQUENCE item_id_seq OWNED BY NONE;

CREATE TABLE item (
    id                 BIGINT       NOT NULL DEFAULT nextval('item_id_seq'),
    table_name         VARCHAR(255) NOT NULL,
    partition_key      TEXT         NOT NULL,
    sort_key           TEXT,
    item               JSONB        NOT NULL,
    source_message_id  TEXT         NOT NULL,
    message_time       TIMESTAMPTZ  NOT NULL,
    stored_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    item_key           TEXT         NOT NULL,
    sort_key_num       NUMERIC,
    expires_at         TIMESTAMPTZ
) PARTITION BY LIST (table_name);
ALTER SEQUENCE item_id_seq OWNED BY item.id;
-- safety net: rows of a name without a partition (none while every table gets one at creation)
CREATE TABLE item_default PARTITION OF item DEFAULT;

-- Serialises the writers of the same items until their transactions end: 1024 lock stripes by a hash of the key
-- (so one transaction holds at most 1024 locks, however large its batch), taken in stripe order.
CREATE FUNCTION sink_lock_items(tables TEXT[], partition_keys TEXT[], item_keys TEXT[]) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(1936289131, s.stripe)
    FROM (SELECT DISTINCT hashtext(u.t || chr(1) || u.p || chr(1) || u.k) & 1023 AS stripe
          FROM unnest(tables, partition_keys, item_keys) AS u(t, p, k) ORDER BY 1) s;
END $$;

-- Creates the partition of a sink table (sub-partitioned by day when the table has a retention), taking over rows
-- the default partition may hold for its name.
CREATE FUNCTION sink_create_partition(sink_table_name TEXT) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    t sink_table;
    part TEXT;
BEGIN
    SELECT * INTO STRICT t FROM sink_table WHERE name = sink_table_name;
    part := 'item_t' || t.storage_id;
    IF to_regclass(part) IS NOT NULL THEN
        RETURN;
    END IF;
    IF t.retention_days IS NULL THEN
        EXECUTE format('CREATE TABLE %I (LIKE item INCLUDING DEFAULTS)', part);
    ELSE
        EXECUTE format('CREATE TABLE %I (LIKE item INCLUDING DEFAULTS) PARTITION BY RANGE (stored_at)', part);
        EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', part || '_default', part);
    END IF;
    EXECUTE format('WITH moved AS (DELETE FROM item_default WHERE table_name = $1 RETURNING *) '
                   'INSERT INTO %I SELECT * FROM moved', part) USING sink_table_name;
    -- ATTACH (not CREATE … PARTITION OF) locks the parent in SHARE UPDATE EXCLUSIVE mode only: reads and writes of
    -- other tables go on
    EXECUTE format('ALTER TABLE item ATTACH PARTITION %I FOR VALUES IN (%L)', part, sink_table_name);
END $$;

-- Creates the partition of one UTC day of a table with a retention (false: it exists, or the table keeps no days),
-- taking over rows of that day from the table's default partition.
CREATE FUNCTION sink_create_day_partition(sink_table_name TEXT, day DATE) RETURNS boolean
    LANGUAGE plpgsql AS $$
DECLARE
    parent TEXT;
    part TEXT;
    low TIMESTAMPTZ := day::timestamp AT TIME ZONE 'UTC';
    high TIMESTAMPTZ := (day + 1)::timestamp AT TIME ZONE 'UTC';
BEGIN
    SELECT 'item_t' || storage_id INTO parent FROM sink_table
    WHERE name = sink_table_name AND retention_days IS NOT NULL;
    IF parent IS NULL THEN
        RETURN false;
    END IF;
    part := parent || '_' || to_char(day, 'YYYYMMDD');
    IF to_regclass(part) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE item INCLUDING DEFAULTS)', part);
    EXECUTE format('WITH moved AS (DELETE FROM %I WHERE stored_at >= $1 AND stored_at < $2 RETURNING *) '
                   'INSERT INTO %I SELECT * FROM moved', parent || '_default', part) USING low, high;
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, low, high);
    RETURN true;
END $$;

-- Retention of one table: drops every day partition that ends at or before now() - retention_days (whole tables,
-- no row is deleted), and deletes the rows older than that from its default partition (empty unless a day's
-- partition was missing when its rows arrived). Returns the dropped partitions.
CREATE FUNCTION sink_apply_retention(sink_table_name TEXT) RETURNS SETOF TEXT
    LANGUAGE plpgsql AS $$
DECLARE
    parent TEXT;
    cutoff TIMESTAMPTZ;
    part TEXT;
BEGIN
    SELECT 'item_t' || storage_id, now() - make_interval(days => retention_days) INTO parent, cutoff
    FROM sink_table WHERE name = sink_table_name AND retention_days IS NOT NULL;
    IF parent IS NULL OR to_regclass(parent) IS NULL THEN
        RETURN;
    END IF;
    FOR part IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = to_regclass(parent)::oid AND c.relname ~ '_[0-9]{8}$'
          AND (to_date(right(c.relname, 8), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC' <= cutoff
        ORDER BY c.relname
    LOOP
        EXECUTE format('DROP TABLE %I', part);
        RETURN NEXT part;
    END LOOP;
    EXECUTE format('DELETE FROM %I WHERE stored_at < $1', parent || '_default') USING cutoff;
END $$;

-- Drops the partition of a table being deleted (with its rows), and rows the default partition may hold for it.
CREATE FUNCTION sink_drop_partition(sink_table_name TEXT) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    part TEXT;
BEGIN
    SELECT 'item_t' || storage_id INTO part FROM sink_table WHERE name = sink_table_name;
    IF part IS NOT NULL THEN
        EXECUTE format('DROP TABLE IF EXISTS %I', part);
    END IF;
    DELETE FROM item_default WHERE table_name = sink_table_name;
END $$;

-- the existing tables' partitions, and for those with a retention the days their items arrived on and the next two
DO $$
DECLARE
    t RECORD;
    d DATE;
BEGIN
    FOR t IN SELECT name, retention_days FROM sink_table ORDER BY storage_id LOOP
        PERFORM sink_create_partition(t.name);
        IF t.retention_days IS NOT NULL THEN
            FOR d IN SELECT DISTINCT (stored_at AT TIME ZONE 'UTC')::date FROM item_v4 WHERE table_name = t.name
                     UNION SELECT (now() AT TIME ZONE 'UTC')::date + g FROM generate_series(0, 2) g LOOP
                PERFORM sink_create_day_partition(t.name, d);
            END LOOP;
        END IF;
    END LOOP;
END $$;

INSERT INTO item (id, table_name, partition_key, sort_key, item, source_message_id, message_time, stored_at,
                  item_key, sort_key_num, expires_at)
SELECT id, table_name, partition_key, sort_key, item, source_message_id, message_time, stored_at,
       item_key, sort_key_num, expires_at
FROM item_v4;

-- the analytics views read item_v4 now: dropped with it, the service creates them again at start
DROP TABLE item_v4 CASCADE;

-- the same indexes as before, on every partition; the item key's is no longer unique (see above)
CREATE INDEX item_key_idx ON item (table_name, partition_key, item_key);
CREATE INDEX item_partition_time_idx ON item (table_name, partition_key, message_time DESC, id DESC);
CREATE INDEX item_table_time_idx ON item (table_name, message_time DESC, id DESC);
CREATE INDEX item_stored_at_brin ON item USING brin (stored_at);
CREATE INDEX item_partition_sort_idx ON item (table_name, partition_key, sort_key COLLATE "C");
CREATE INDEX item_partition_sort_num_idx ON item (table_name, partition_key, sort_key_num)
    WHERE sort_key_num IS NOT NULL;
CREATE INDEX item_expires_at_idx ON item (expires_at) WHERE expires_at IS NOT NULL;
-- the TTL sweep deletes by id
CREATE INDEX item_id_idx ON item (id);
