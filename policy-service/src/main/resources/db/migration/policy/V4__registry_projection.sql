-- This service's own copy of what it needs from the device registry, fed by iot.registry-events (never by reading
-- registry-service's tables): things with their type and attributes, the principals attached to them, thing groups
-- with their parents, and memberships. Drives the iot:Connection.Thing.* policy variables and thing-group policies.

-- Registry events already applied, written in the transaction of the projection change they caused, so a
-- redelivered event (same event id) changes nothing.
CREATE TABLE registry_event_applied (
    event_id    VARCHAR(128) PRIMARY KEY,
    applied_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- One row per thing name. A deleted thing stays as a tombstone (deleted = TRUE, no principals, no groups) with the
-- version and time of its deletion, so that an older event of it arriving late does not bring it back.
-- (thing_id, version, event_timestamp) order the states of one name: see thing/domain/StateOrder.
CREATE TABLE projected_thing (
    thing_name       VARCHAR(128) PRIMARY KEY,
    thing_id         VARCHAR(64),
    thing_type_name  VARCHAR(128),
    attributes       JSONB        NOT NULL DEFAULT '{}',
    version          BIGINT       NOT NULL,
    event_timestamp  BIGINT       NOT NULL,
    deleted          BOOLEAN      NOT NULL DEFAULT FALSE
);

-- Principals attached to a thing, as the registry names them (a certificate ARN, usually). certificate_id is the id
-- in a certificate ARN (NULL for other principals): the connect-time look-up goes by it. attachment_type
-- (EXCLUSIVE_THING / NON_EXCLUSIVE_THING) is NULL while registry events do not carry it.
CREATE TABLE projected_thing_principal (
    thing_name       VARCHAR(128)  NOT NULL REFERENCES projected_thing (thing_name) ON DELETE CASCADE,
    principal        VARCHAR(2048) NOT NULL,
    certificate_id   CHAR(64),
    attachment_type  VARCHAR(32),
    PRIMARY KEY (thing_name, principal)
);

CREATE INDEX projected_thing_principal_certificate_idx ON projected_thing_principal (certificate_id);

-- Thing groups; parent_name NULL for a root group. Tombstones as for things.
CREATE TABLE projected_thing_group (
    group_name       VARCHAR(128) PRIMARY KEY,
    group_id         VARCHAR(64),
    parent_name      VARCHAR(128),
    version          BIGINT       NOT NULL,
    event_timestamp  BIGINT       NOT NULL,
    deleted          BOOLEAN      NOT NULL DEFAULT FALSE
);

CREATE INDEX projected_thing_group_parent_idx ON projected_thing_group (parent_name);

-- The static groups a thing is in (from the thing's own snapshot, thingGroupNames). No foreign key to the group:
-- the membership may arrive before the group's own event (another key, another partition).
CREATE TABLE projected_thing_group_member (
    thing_name  VARCHAR(128) NOT NULL REFERENCES projected_thing (thing_name) ON DELETE CASCADE,
    group_name  VARCHAR(128) NOT NULL,
    PRIMARY KEY (thing_name, group_name)
);

CREATE INDEX projected_thing_group_member_group_idx ON projected_thing_group_member (group_name);
