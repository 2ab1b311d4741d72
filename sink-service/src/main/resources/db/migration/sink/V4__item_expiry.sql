-- Time to live (DynamoDB semantics): an item whose table declares a ttl_attribute and whose value of it is a number
-- (epoch seconds) expires then; reads skip it from that moment and a background sweep deletes it later.
-- expires_at is computed by every write from the item as written (also after an UPDATE merged attributes), so that
-- reads need one column comparison and the sweep one index range.
ALTER TABLE item ADD COLUMN expires_at TIMESTAMPTZ;

-- The expiry of an item of a table: null when the table has no TTL attribute or the item no number in it.
CREATE FUNCTION sink_expiry(doc JSONB, sink_table_name TEXT) RETURNS TIMESTAMPTZ
    LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN jsonb_typeof(doc -> t.ttl_attribute) = 'number'
                THEN to_timestamp(LEAST((doc ->> t.ttl_attribute)::double precision, 1e11)) END
    FROM sink_table t WHERE t.name = sink_table_name AND t.ttl_attribute IS NOT NULL
$$;

UPDATE item SET expires_at = sink_expiry(item, table_name)
WHERE table_name IN (SELECT name FROM sink_table WHERE ttl_attribute IS NOT NULL);

-- the sweep's range: only items that can expire are in it
CREATE INDEX item_expires_at_idx ON item (expires_at) WHERE expires_at IS NOT NULL;
