package io.openiot.gateway.mqtt;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The MQTT listener ({@code iot.gateway.mqtt.*}).
 *
 * @param host                address to bind
 * @param port                MQTT over TCP; tests and the launcher pass a free port
 * @param maxMessageSize      largest MQTT packet accepted; AWS allows 128 KB of payload
 * @param maxPendingPublishes publishes of one connection that may wait for Kafka before the gateway stops reading
 *                            from that connection (AWS allows 100 unacknowledged inbound QoS 1 messages)
 * @param kafkaAckTimeout     how long a publish may wait for Kafka's acknowledgement, from its arrival: then a QoS 1
 *                            publish closes its connection without PUBACK (the device reconnects and resends), a QoS 0
 *                            one is dropped and counted, an HTTPS publish answers 503. The producer's delivery timeout
 *                            is twice this
 * @param persistenceDirectory where Moquette keeps persistent sessions, their subscriptions and queued QoS 1
 *                            messages (H2 MVStore {@code moquette_store.h2}); unset = in memory, lost on restart
 * @param autosaveInterval    how often Moquette commits its store on its own (whole seconds); the gateway also
 *                            commits it after every batch from Kafka, before that batch's offsets are committed
 * @param tls                 the MQTT over TLS listener with client certificates
 */
@Validated
@ConfigurationProperties("iot.gateway.mqtt")
public record MqttProperties(@NotBlank @DefaultValue("0.0.0.0") String host,
                             @Min(0) @Max(65535) @DefaultValue("1883") int port,
                             @DefaultValue("128KB") DataSize maxMessageSize,
                             @Min(1) @DefaultValue("100") int maxPendingPublishes,
                             @DurationMin(seconds = 1) @DefaultValue("30s") Duration kafkaAckTimeout,
                             Path persistenceDirectory,
                             @DurationMin(seconds = 1) @DefaultValue("1s") Duration autosaveInterval,
                             @DefaultValue Tls tls) {

    /**
     * MQTT over TLS ({@code iot.gateway.mqtt.tls.*}), TLS 1.2 and 1.3, a client certificate required; on when a
     * server certificate is configured.
     *
     * @param port                MQTT over TLS; AWS uses 8883
     * @param serverCertificate   PEM file with the server certificate (and its chain)
     * @param serverKey           PEM file with the server's PKCS#8 private key
     * @param trustedCertificates PEM files of the CAs whose client certificates may connect (the platform CA and
     *                            registered CAs)
     */
    public record Tls(@Min(0) @Max(65535) @DefaultValue("8883") int port, String serverCertificate,
                      String serverKey, List<String> trustedCertificates) {

        public Tls {
            trustedCertificates = trustedCertificates == null ? List.of() : List.copyOf(trustedCertificates);
        }

        public boolean enabled() {
            return serverCertificate != null && !serverCertificate.isBlank();
        }
    }
}
