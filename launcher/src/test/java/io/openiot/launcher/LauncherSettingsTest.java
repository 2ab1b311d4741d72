package io.openiot.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherSettingsTest {

    @Test
    void defaultsGiveTheDocumentedPortsAndATemporaryDataDirectory() {
        LauncherSettings settings = LauncherSettings.from(new String[0], Map.of());

        assertThat(settings.mqttPort()).isEqualTo(1883);
        assertThat(settings.kafkaPort()).isEqualTo(9092);
        assertThat(settings.kafkaControllerPort()).isEqualTo(9093);
        assertThat(settings.httpPort(PlatformService.GATEWAY)).isEqualTo(8081);
        assertThat(settings.httpPort(PlatformService.SINK)).isEqualTo(8086);
        assertThat(settings.dataDirectory()).isEmpty();
        assertThat(settings.kafkaBootstrap()).isEmpty();
    }

    @Test
    void argumentsWinOverEnvironmentVariables() {
        LauncherSettings settings = LauncherSettings.from(new String[] {"--mqtt-port=2883", "--data-dir=data"},
                Map.of("IOT_MQTT_PORT", "3883", "IOT_RULES_PORT", "9184", "PATH", "/bin"));

        assertThat(settings.mqttPort()).isEqualTo(2883);
        assertThat(settings.httpPort(PlatformService.RULES)).isEqualTo(9184);
        assertThat(settings.dataDirectory()).contains(Path.of("data"));
    }

    @Test
    void rejectsMalformedArgumentsWithAClearMessage() {
        assertThatThrownBy(() -> LauncherSettings.from(new String[] {"--mqtt-port=abc"}, Map.of()))
                .hasMessageContaining("mqtt-port must be a number");
        assertThatThrownBy(() -> LauncherSettings.from(new String[] {"mqtt-port"}, Map.of()))
                .hasMessageContaining("expected --name=value");
    }
}
