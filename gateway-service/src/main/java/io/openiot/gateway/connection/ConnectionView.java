package io.openiot.gateway.connection;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/** The body of {@code GET /connections/{clientId}}, with AWS's field names (GetConnection); times in epoch ms. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Connection state of one MQTT client (AWS IoT data plane GetConnection)")
record ConnectionView(
        @Schema(description = "whether the client is connected now") boolean connected,
        @Schema(description = "MQTT client id") String clientId,
        @Schema(description = "true for a clean session") boolean cleanSession,
        @Schema(description = "keep-alive the client asked for, in seconds") int keepAliveDuration,
        @Schema(description = "epoch milliseconds of the last connect") Long connectedSince,
        @Schema(description = "epoch milliseconds of the last disconnect, absent while connected") Long disconnectedSince,
        @Schema(description = "why the last connection ended, e.g. CLIENT_INITIATED_DISCONNECT, CONNECTION_LOST")
        String disconnectReason) {

    static ConnectionView of(ClientConnection connection) {
        return new ConnectionView(connection.connected(), connection.clientId(), connection.cleanSession(),
                connection.keepAlive(), connection.connectedAt().toEpochMilli(),
                connection.disconnectedAt() == null ? null : connection.disconnectedAt().toEpochMilli(),
                connection.disconnectReason());
    }
}
