-- HTTP topic rule destinations (AWS CreateTopicRuleDestination). An http action sends only to an ENABLED one whose
-- confirmation URL it names. Version 10 leaves room for the rules API's own migrations in between.
CREATE TABLE topic_rule_destination (
    arn                text        PRIMARY KEY,
    confirmation_url   text        NOT NULL UNIQUE,
    status             varchar(16) NOT NULL CHECK (status IN ('IN_PROGRESS', 'ENABLED', 'DISABLED', 'ERROR')),
    status_reason      text,
    confirmation_token text        NOT NULL UNIQUE,
    -- set once the endpoint proved it received the token; only a confirmed destination can be ENABLED or DISABLED
    confirmed          boolean     NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL,
    last_updated_at    timestamptz NOT NULL
);
