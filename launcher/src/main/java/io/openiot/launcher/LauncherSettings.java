package io.openiot.launcher;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the one-process run can be told: where to keep data, which ports to use, and whether to use an external
 * Kafka or PostgreSQL instead of the embedded ones. Read from {@code --name=value} arguments first, then from
 * {@code IOT_NAME} environment variables (e.g. {@code --mqtt-port=1884} or {@code IOT_MQTT_PORT=1884}).
 *
 * @param dataDirectory     where Kafka and PostgreSQL keep their files; empty = a temporary directory deleted on exit
 * @param kafkaPort         port of the embedded Kafka broker
 * @param kafkaControllerPort port of the embedded Kafka broker's KRaft controller listener
 * @param postgresPort      port of the embedded PostgreSQL server
 * @param mqttPort          MQTT (TCP) port of the gateway
 * @param httpPorts         REST port of each service
 * @param kafkaBootstrap    external Kafka to use instead of the embedded broker, if given
 * @param postgresUrlPrefix external PostgreSQL to use instead of the embedded server, as
 *                          {@code jdbc:postgresql://host:port/} (each service appends its database name), if given
 * @param postgresUsername  user for the external PostgreSQL
 * @param postgresPassword  password for the external PostgreSQL
 * @param kafkaPartitions   partitions of the platform topics when they are created
 * @param devUsername       MQTT development user name
 * @param devPassword       MQTT development password
 */
record LauncherSettings(Optional<Path> dataDirectory, int kafkaPort, int kafkaControllerPort, int postgresPort, int mqttPort,
                        Map<PlatformService, Integer> httpPorts, Optional<String> kafkaBootstrap,
                        Optional<String> postgresUrlPrefix, String postgresUsername, String postgresPassword,
                        int kafkaPartitions, String devUsername, String devPassword) {

    static LauncherSettings from(String[] args, Map<String, String> environment) {
        Map<String, String> values = new HashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith("IOT_")) {
                values.put(name.substring(4).toLowerCase(Locale.ROOT).replace('_', '-'), value);
            }
        });
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got: " + arg);
            }
            values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Map<PlatformService, Integer> httpPorts = new EnumMap<>(PlatformService.class);
        for (PlatformService service : PlatformService.values()) {
            httpPorts.put(service, intValue(values, service.shortName() + "-port", service.defaultHttpPort()));
        }
        int kafkaPort = intValue(values, "kafka-port", 9092);
        return new LauncherSettings(
                Optional.ofNullable(values.get("data-dir")).map(Path::of),
                kafkaPort,
                intValue(values, "kafka-controller-port", kafkaPort + 1),
                intValue(values, "postgres-port", 15432),
                intValue(values, "mqtt-port", 1883),
                httpPorts,
                Optional.ofNullable(values.get("kafka-bootstrap-servers")),
                Optional.ofNullable(values.get("postgres-url")),
                values.getOrDefault("postgres-username", "postgres"),
                values.getOrDefault("postgres-password", "postgres"),
                intValue(values, "kafka-partitions", 6),
                values.getOrDefault("gateway-dev-username", "device"),
                values.getOrDefault("gateway-dev-password", "device-secret"));
    }

    private static int intValue(Map<String, String> values, String name, int fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got: " + value, e);
        }
    }

    int httpPort(PlatformService service) {
        return httpPorts.get(service);
    }
}
