-- The last known connection of every MQTT client id, as GET /connections/{clientId} reports it.
-- One row per client id: a reconnect (on any replica) overwrites the previous connection.
CREATE TABLE client_connection (
    client_id         TEXT        PRIMARY KEY,
    principal         TEXT,
    replica_id        TEXT        NOT NULL,
    connected         BOOLEAN     NOT NULL,
    connected_at      TIMESTAMPTZ NOT NULL,
    disconnected_at   TIMESTAMPTZ,
    disconnect_reason TEXT,
    clean_session     BOOLEAN     NOT NULL,
    keep_alive        INTEGER     NOT NULL
);

-- a stopping replica marks its own clients as disconnected
CREATE INDEX client_connection_replica_connected ON client_connection (replica_id) WHERE connected;
