-- Records of iot.messages.rules-service.dlq that a replay has handled, so that replaying again skips them
-- (and two replicas replaying at once never take the same record).
CREATE TABLE dead_letter_replay (
    kafka_partition integer     NOT NULL,
    kafka_offset    bigint      NOT NULL,
    rule_name       text        NOT NULL,
    outcome         text        NOT NULL,
    replayed_at     timestamptz NOT NULL,
    PRIMARY KEY (kafka_partition, kafka_offset)
);
