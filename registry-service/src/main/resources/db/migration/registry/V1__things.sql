-- Things as the AWS IoT registry describes them; attributes as JSON, version bumped on every update.
CREATE TABLE thing_type (
    name              VARCHAR(128) PRIMARY KEY,
    id                UUID         NOT NULL UNIQUE,
    description       VARCHAR(2028),
    searchable_attributes JSONB    NOT NULL DEFAULT '[]',
    deprecated        BOOLEAN      NOT NULL DEFAULT FALSE,
    deprecated_at     TIMESTAMPTZ,
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE thing (
    name        VARCHAR(128) PRIMARY KEY,
    id          UUID         NOT NULL UNIQUE,
    thing_type  VARCHAR(128) REFERENCES thing_type (name),
    attributes  JSONB        NOT NULL DEFAULT '{}',
    version     BIGINT       NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE INDEX thing_thing_type_idx ON thing (thing_type);
CREATE INDEX thing_attributes_idx ON thing USING GIN (attributes);
