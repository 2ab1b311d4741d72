-- One row per thing attribute, kept by a trigger from thing.attributes, so that attribute prefixes
-- (attributes.model:mk*) and numeric ranges (attributes.floor:[1 TO 5]) are answered by B-tree indexes instead of a
-- scan of every thing's JSON. Equality keeps using the GIN index on thing.attributes.
CREATE TABLE thing_attribute (
    thing_name  VARCHAR(128) NOT NULL REFERENCES thing (name) ON DELETE CASCADE,
    name        VARCHAR(128) NOT NULL,
    value       VARCHAR(800) NOT NULL,
    -- the value as a number when it is one; ranges with numeric bounds compare this
    number      NUMERIC GENERATED ALWAYS AS (
                    CASE WHEN value ~ '^-?[0-9]+(\.[0-9]+)?$' THEN value::numeric END) STORED,
    PRIMARY KEY (thing_name, name)
);

CREATE INDEX thing_attribute_value_idx ON thing_attribute (name, value text_pattern_ops);
CREATE INDEX thing_attribute_number_idx ON thing_attribute (name, number) WHERE number IS NOT NULL;

CREATE FUNCTION thing_attribute_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.attributes = OLD.attributes THEN
        RETURN NEW;
    END IF;
    DELETE FROM thing_attribute WHERE thing_name = NEW.name;
    INSERT INTO thing_attribute (thing_name, name, value)
    SELECT NEW.name, key, value FROM jsonb_each_text(NEW.attributes);
    RETURN NEW;
END;
$$;

CREATE TRIGGER thing_attribute_sync AFTER INSERT OR UPDATE OF attributes ON thing
    FOR EACH ROW EXECUTE FUNCTION thing_attribute_sync();

INSERT INTO thing_attribute (thing_name, name, value)
SELECT t.name, a.key, a.value FROM thing t, jsonb_each_text(t.attributes) a;
