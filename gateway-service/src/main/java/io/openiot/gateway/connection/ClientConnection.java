package io.openiot.gateway.connection;

import java.time.Instant;

/** One row of {@code client_connection}. */
record ClientConnection(String clientId, String principal, String replicaId, boolean connected, Instant connectedAt,
                        Instant disconnectedAt, String disconnectReason, boolean cleanSession, int keepAlive) {
}
