-- Thing types: the MQTT 5 attribute propagation AWS keeps in thingTypeProperties.mqtt5Configuration.
ALTER TABLE thing_type
    ADD COLUMN propagating_attributes JSONB NOT NULL DEFAULT '[]';

-- Thing groups form a tree (parentGroupName); the feature walks it with a recursive query for
-- rootToParentThingGroups and recursive membership. A dynamic group has a fleet-index query instead of members.
CREATE TABLE thing_group (
    name          VARCHAR(128)  PRIMARY KEY,
    id            UUID          NOT NULL UNIQUE,
    parent_name   VARCHAR(128)  REFERENCES thing_group (name),
    description   VARCHAR(2028),
    attributes    JSONB         NOT NULL DEFAULT '{}',
    query_string  TEXT,
    version       BIGINT        NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT thing_group_not_own_parent CHECK (parent_name IS NULL OR parent_name <> name),
    CONSTRAINT thing_group_attributes_object CHECK (jsonb_typeof(attributes) = 'object')
);

CREATE INDEX thing_group_parent_idx ON thing_group (parent_name);

-- Static membership; deleting a thing or a group removes its memberships (AWS does the same).
CREATE TABLE thing_group_member (
    group_name  VARCHAR(128) NOT NULL REFERENCES thing_group (name) ON DELETE CASCADE,
    thing_name  VARCHAR(128) NOT NULL REFERENCES thing (name) ON DELETE CASCADE,
    added_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (group_name, thing_name)
);

-- "Which groups is this thing in" (ListThingGroupsForThing, group policies at connect).
CREATE INDEX thing_group_member_thing_idx ON thing_group_member (thing_name);

-- Principals (certificate ARNs, later other identities) attached to things. No cascade from thing: whether a thing
-- with attached principals may be deleted is the feature's decision, and the database must not decide it silently.
CREATE TABLE thing_principal (
    thing_name      VARCHAR(128) NOT NULL REFERENCES thing (name),
    principal       VARCHAR(2048) NOT NULL,
    principal_type  VARCHAR(20)  NOT NULL DEFAULT 'NON_EXCLUSIVE_THING',
    attached_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (thing_name, principal),
    CONSTRAINT thing_principal_type_known CHECK (principal_type IN ('EXCLUSIVE_THING', 'NON_EXCLUSIVE_THING'))
);

-- ListPrincipalThings looks up by principal.
CREATE INDEX thing_principal_principal_idx ON thing_principal (principal);

-- An EXCLUSIVE_THING principal belongs to one thing only. That it also excludes NON_EXCLUSIVE attachments elsewhere
-- is checked by the feature under a lock; this index is the last line of defence for the exclusive case.
CREATE UNIQUE INDEX thing_principal_exclusive_idx ON thing_principal (principal)
    WHERE principal_type = 'EXCLUSIVE_THING';

-- UpdateEventConfigurations / DescribeEventConfigurations: one row per AWS event type, all off by default as in AWS.
CREATE TABLE event_configuration (
    event_type  VARCHAR(32) PRIMARY KEY,
    enabled     BOOLEAN     NOT NULL DEFAULT FALSE,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT event_configuration_type_known CHECK (event_type IN (
        'THING', 'THING_GROUP', 'THING_TYPE', 'THING_GROUP_MEMBERSHIP', 'THING_GROUP_HIERARCHY',
        'THING_TYPE_ASSOCIATION', 'JOB', 'JOB_EXECUTION', 'POLICY', 'CERTIFICATE', 'CA_CERTIFICATE'))
);

INSERT INTO event_configuration (event_type)
VALUES ('THING'), ('THING_GROUP'), ('THING_TYPE'), ('THING_GROUP_MEMBERSHIP'), ('THING_GROUP_HIERARCHY'),
       ('THING_TYPE_ASSOCIATION'), ('JOB'), ('JOB_EXECUTION'), ('POLICY'), ('CERTIFICATE'), ('CA_CERTIFICATE');

-- Transactional outbox for iot.registry-events: written in the same transaction as the change it describes, then
-- sent by a relay in id order and stamped published_at. Rows of one thing are ordered because their transactions
-- serialise on the thing's row lock. aggregate_key is the Kafka key (the thing or group name).
CREATE TABLE outbox (
    id             BIGINT       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    aggregate_key  VARCHAR(128) NOT NULL,
    event_type     VARCHAR(64)  NOT NULL,
    payload        JSONB        NOT NULL,
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    published_at   TIMESTAMPTZ
);

-- The relay only ever reads what is still to send; keep that scan small however long the history grows.
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
