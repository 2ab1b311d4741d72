-- The outbox carries two kinds of records: the project's own events for iot.registry-events, and (when enabled
-- through UpdateEventConfigurations) AWS's registry event messages for iot.messages. kafka_topic says which; the
-- key of an iot.messages record is its MQTT topic, which can be longer than a name.
ALTER TABLE outbox
    ADD COLUMN event_id    VARCHAR(80) NOT NULL DEFAULT '',
    ADD COLUMN kafka_topic VARCHAR(64) NOT NULL DEFAULT 'iot.registry-events',
    ALTER COLUMN aggregate_key TYPE VARCHAR(512);

-- Prefix searches and ListThings filters on the name (name LIKE 'abc%') use this instead of a sequential scan.
CREATE INDEX thing_name_pattern_idx ON thing (name text_pattern_ops);
CREATE INDEX thing_group_name_pattern_idx ON thing_group (name text_pattern_ops);
-- Fleet search on thingGroupNames: things of a group, by name, without scanning the membership table.
CREATE INDEX thing_group_member_group_idx ON thing_group_member (group_name, thing_name);
