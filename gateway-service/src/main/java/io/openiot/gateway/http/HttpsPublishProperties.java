package io.openiot.gateway.http;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code iot.gateway.https.*}: HTTPS publish with client certificates, as AWS IoT's port 8443. It uses the server
 * certificate and the trusted CAs of the MQTT TLS listener ({@code iot.gateway.mqtt.tls.*}) and is on when that
 * listener is.
 *
 * @param enabled off keeps the port closed even when MQTT over TLS is on
 * @param port    the port; 0 picks a free one (tests)
 */
@Validated
@ConfigurationProperties("iot.gateway.https")
public record HttpsPublishProperties(@DefaultValue("true") boolean enabled,
                                     @Min(0) @Max(65535) @DefaultValue("8443") int port) {
}
