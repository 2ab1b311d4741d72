-- Topic rules (AWS CreateTopicRule). The payload column keeps the topicRulePayload as accepted (sql, actions,
-- errorAction, ...), so that fields this version does not interpret yet are not lost; the other columns are what
-- queries and the engine's snapshot need without parsing JSON.
CREATE TABLE topic_rule (
    rule_name           varchar(128) PRIMARY KEY CHECK (rule_name ~ '^[a-zA-Z0-9_]+$'),
    sql                 text         NOT NULL,
    topic_filter        text         NOT NULL,
    aws_iot_sql_version varchar(16)  NOT NULL,
    description         text,
    rule_disabled       boolean      NOT NULL DEFAULT false,
    payload             jsonb        NOT NULL,
    created_at          timestamptz  NOT NULL,
    updated_at          timestamptz  NOT NULL
);

-- the engine reloads the enabled rules every few seconds
CREATE INDEX topic_rule_enabled ON topic_rule (rule_name) WHERE NOT rule_disabled;
