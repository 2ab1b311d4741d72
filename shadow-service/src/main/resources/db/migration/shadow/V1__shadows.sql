-- Device shadows, classic and named. The classic shadow has shadow_name '' so that one primary key covers both.
-- Only desired and reported are stored (delta is computed on read, as AWS does); metadata mirrors the state tree
-- with {"timestamp": <epoch seconds>} leaves. A deleted shadow keeps its row, flagged, because AWS continues the
-- version numbering after a delete instead of starting again at 1.
CREATE TABLE shadow (
    thing_name   VARCHAR(128) NOT NULL,
    shadow_name  VARCHAR(64)  NOT NULL DEFAULT '',
    version      BIGINT       NOT NULL,
    state        JSONB        NOT NULL DEFAULT '{}',
    metadata     JSONB        NOT NULL DEFAULT '{}',
    deleted      BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (thing_name, shadow_name),
    CONSTRAINT shadow_version_positive CHECK (version >= 1),
    CONSTRAINT shadow_state_object CHECK (jsonb_typeof(state) = 'object'),
    CONSTRAINT shadow_state_only_desired_reported CHECK ((state - 'desired' - 'reported') = '{}'::jsonb),
    CONSTRAINT shadow_metadata_object CHECK (jsonb_typeof(metadata) = 'object'),
    CONSTRAINT shadow_name_pattern CHECK (shadow_name = '' OR shadow_name ~ '^[$a-zA-Z0-9:_-]+$')
);

-- Every accepted version, for "the shadow as it was at version N". document is the full stored document
-- ({"state":{desired,reported},"metadata":{...},"version":N,"timestamp":s}) right after that update.
CREATE TABLE shadow_version (
    thing_name   VARCHAR(128) NOT NULL,
    shadow_name  VARCHAR(64)  NOT NULL,
    version      BIGINT       NOT NULL,
    document     JSONB        NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (thing_name, shadow_name, version),
    FOREIGN KEY (thing_name, shadow_name) REFERENCES shadow (thing_name, shadow_name) ON DELETE CASCADE
);

-- Retention jobs trim history by age.
CREATE INDEX shadow_version_created_idx ON shadow_version (created_at);
