-- A shadow row is created (version 0, deleted) before its first update is applied, so that concurrent first updates
-- serialise on the row lock like every later one; a deleted row keeps its version, which a re-created shadow
-- continues.
ALTER TABLE shadow DROP CONSTRAINT shadow_version_positive;
ALTER TABLE shadow ADD CONSTRAINT shadow_version_not_negative CHECK (version >= 0);
-- The document's timestamp (epoch seconds) as the service's clock gave it; updated_at stays the database's time.
ALTER TABLE shadow ADD COLUMN timestamp_s BIGINT NOT NULL DEFAULT 0;
ALTER TABLE shadow ALTER COLUMN deleted SET DEFAULT TRUE;

-- Named shadows of a thing, in name order, for ListNamedShadowsForThing.
CREATE INDEX shadow_live_named_idx ON shadow (thing_name, shadow_name) WHERE NOT deleted AND shadow_name <> '';

-- Retention by count walks the versions of one shadow newest first.
CREATE INDEX shadow_version_newest_idx ON shadow_version (thing_name, shadow_name, version DESC);

-- Requests (MQTT message ids) already applied: a redelivered request is not applied twice. Trimmed by age.
CREATE TABLE shadow_request (
    request_id   VARCHAR(64)  PRIMARY KEY,
    thing_name   VARCHAR(128) NOT NULL,
    shadow_name  VARCHAR(64)  NOT NULL,
    applied_at   TIMESTAMPTZ  NOT NULL
);
CREATE INDEX shadow_request_applied_idx ON shadow_request (applied_at);

-- Transactional outbox: the accepted/delta/documents messages of a change, written in the change's transaction.
-- They are sent right after the commit and deleted once Kafka has them; a relay sends what a crash left behind.
CREATE TABLE shadow_outbox (
    id           BIGSERIAL    PRIMARY KEY,
    request_id   VARCHAR(64)  NOT NULL,
    topic        TEXT         NOT NULL,
    payload      BYTEA        NOT NULL,
    qos          SMALLINT     NOT NULL,
    message_time BIGINT       NOT NULL,
    message_id   VARCHAR(64)  NOT NULL UNIQUE,
    trace_id     VARCHAR(64)  NOT NULL,
    origin       VARCHAR(64)  NOT NULL,
    hop_count    INT          NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL
);
CREATE INDEX shadow_outbox_request_idx ON shadow_outbox (request_id);
