package io.openiot.testsupport.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void defaultsDescribeTenQos1PublishersOfTenThousandMessagesOnLocalhost() {
        LoadOptions options = LoadOptions.parse();
        assertThat(options.broker().toString()).isEqualTo("tcp://localhost:1883");
        assertThat(options.publishers()).isEqualTo(10);
        assertThat(options.messages()).isEqualTo(10_000);
        assertThat(options.durationSeconds()).isZero();
        assertThat(options.qos()).isEqualTo(1);
        assertThat(options.payloadBytes()).isEqualTo(128);
        assertThat(options.maxInflight()).isEqualTo(10);
        assertThat(options.topic()).isEqualTo("bench/{publisher}/telemetry");
        assertThat(options.subscribe()).isNull();
        assertThat(options.subscribeQos()).isEqualTo(1);
        assertThat(options.sinkUrl()).isNull();
        assertThat(options.username()).isNull();
        assertThat(options.runId()).matches("[a-z0-9]{5}");
    }

    @Test
    void everyOptionIsRead() {
        LoadOptions options = LoadOptions.parse("--broker=tcp://127.0.0.1:18830", "--username=device",
                "--password=device-secret", "--publishers=3", "--duration=20", "--qos=0", "--payload-bytes=256",
                "--topic=t/{publisher}", "--subscribe=bench-out/#", "--subscribe-qos=1", "--max-inflight=50",
                "--warmup=5", "--rate=100",
                "--match-ratio=0.5", "--sink-url=http://localhost:8086", "--sink-table=bench2", "--drain=20",
                "--sink-wait=90", "--timeout=100", "--run-id=abc");
        assertThat(options.broker().getPort()).isEqualTo(18830);
        assertThat(options.username()).isEqualTo("device");
        assertThat(options.password()).isEqualTo("device-secret");
        assertThat(options.publishers()).isEqualTo(3);
        assertThat(options.messages()).isZero();
        assertThat(options.durationSeconds()).isEqualTo(20);
        assertThat(options.qos()).isZero();
        assertThat(options.payloadBytes()).isEqualTo(256);
        assertThat(options.subscribe()).isEqualTo("bench-out/#");
        assertThat(options.subscribeQos()).isEqualTo(1);
        assertThat(options.maxInflight()).isEqualTo(50);
        assertThat(options.warmupSeconds()).isEqualTo(5);
        assertThat(options.rate()).isEqualTo(100);
        assertThat(options.matchRatio()).isEqualTo(0.5);
        assertThat(options.sinkUrl().toString()).isEqualTo("http://localhost:8086");
        assertThat(options.sinkTable()).isEqualTo("bench2");
        assertThat(options.drainSeconds()).isEqualTo(20);
        assertThat(options.sinkWaitSeconds()).isEqualTo(90);
        assertThat(options.timeoutSeconds()).isEqualTo(100);
        assertThat(options.topicOf(2)).isEqualTo("t/abc-p2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://localhost:1883", "tcp://LOCALHOST:1883", "tcp://127.0.0.1:1883",
            "tcp://127.1.2.3:18830", "tcp://[::1]:1883", "tcp://[0:0:0:0:0:0:0:1]:1883"})
    void loopbackBrokersAreAccepted(String broker) {
        assertThat(LoadOptions.parse("--broker=" + broker).broker().toString()).isEqualTo(broker);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://10.0.0.5:1883", "tcp://192.168.1.10:1883", "tcp://0.0.0.0:1883",
            "tcp://128.0.0.1:1883", "tcp://127.0.0.256:1883", "tcp://example.com:1883",
            "tcp://localhost.example.com:1883", "tcp://127.0.0.1.example.com:1883", "tcp://[::2]:1883",
            "tcp://[::ffff:10.0.0.1]:1883", "tcp://broker:1883"})
    void brokersBeyondThisMachineAreRefused(String broker) {
        assertThatThrownBy(() -> LoadOptions.parse("--broker=" + broker))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.1.1.1:8086", "http://sink.internal:8086", "http://[2001:db8::1]:8086"})
    void sinksBeyondThisMachineAreRefused(String sink) {
        assertThatThrownBy(() -> LoadOptions.parse("--sink-url=" + sink))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }

    @Test
    void otherSchemesAndMissingPortsAreRefused() {
        assertThatThrownBy(() -> LoadOptions.parse("--broker=ws://localhost:8080"))
                .hasMessageContaining("scheme");
        assertThatThrownBy(() -> LoadOptions.parse("--broker=tcp://localhost"))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> LoadOptions.parse("--sink-url=https://localhost:8086"))
                .hasMessageContaining("scheme");
    }

    @Test
    void badValuesAreRefusedWithTheOptionName() {
        assertThatThrownBy(() -> LoadOptions.parse("--qos=2")).hasMessageContaining("--qos");
        assertThatThrownBy(() -> LoadOptions.parse("--publishers=0")).hasMessageContaining("--publishers");
        assertThatThrownBy(() -> LoadOptions.parse("--publishers=ten")).hasMessageContaining("--publishers");
        assertThatThrownBy(() -> LoadOptions.parse("--messages=5", "--duration=5"))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> LoadOptions.parse("--topic=bench/+/x")).hasMessageContaining("--topic");
        assertThatThrownBy(() -> LoadOptions.parse("--match-ratio=1.5")).hasMessageContaining("--match-ratio");
        assertThatThrownBy(() -> LoadOptions.parse("--password=x")).hasMessageContaining("--username");
        assertThatThrownBy(() -> LoadOptions.parse("--duration=500", "--timeout=100"))
                .hasMessageContaining("--timeout");
        assertThatThrownBy(() -> LoadOptions.parse("--run-id=a/b")).hasMessageContaining("--run-id");
    }

    @Test
    void unknownMalformedAndRepeatedOptionsAreRefused() {
        assertThatThrownBy(() -> LoadOptions.parse("--brokr=tcp://localhost:1883")).hasMessageContaining("unknown");
        assertThatThrownBy(() -> LoadOptions.parse("--qos")).hasMessageContaining("--name=value");
        assertThatThrownBy(() -> LoadOptions.parse("qos=1")).hasMessageContaining("--name=value");
        assertThatThrownBy(() -> LoadOptions.parse("--qos=1", "--qos=0")).hasMessageContaining("twice");
    }

    @Test
    void helpIsRecognisedAndTheUsageListsEveryOption() {
        assertThatThrownBy(() -> LoadOptions.parse("--help")).isInstanceOf(LoadOptions.HelpRequested.class);
        String usage = LoadOptions.usage();
        LoadOptions.OPTIONS.keySet().forEach(name -> assertThat(usage).contains("--" + name + "="));
    }
}
