package io.openiot.gateway.bridge;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Identity of this gateway replica ({@code iot.gateway.replica.id}, environment {@code IOT_GATEWAY_REPLICA_ID}).
 * When unset, {@link ReplicaIdDefault} puts a random id into the environment once, so that this record and the
 * consumer group name ({@code gateway-<id>}) see the same value.
 *
 * @param id unique among the running replicas
 */
@Validated
@ConfigurationProperties("iot.gateway.replica")
public record ReplicaProperties(@NotBlank String id) {

    /** The {@code origin} header of every record this replica produces. */
    public String origin() {
        return "gateway/" + id;
    }
}
