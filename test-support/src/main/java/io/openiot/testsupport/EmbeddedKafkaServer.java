package io.openiot.testsupport;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real Kafka broker in KRaft mode per test JVM, on a port the operating system picks. The broker stops when the
 * JVM exits. Topics are created by the services themselves, as in production.
 */
public final class EmbeddedKafkaServer {

    private static EmbeddedKafkaKraftBroker broker;

    private EmbeddedKafkaServer() {
    }

    /** The {@code host:port} list to give to clients. */
    public static synchronized String bootstrapServers() {
        if (broker == null) {
            broker = new EmbeddedKafkaKraftBroker(1, 2);
            broker.brokerProperties(Map.of(
                    "auto.create.topics.enable", "false",
                    "group.initial.rebalance.delay.ms", "0"));
            broker.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "embedded-kafka-stop"));
        }
        return broker.getBrokersAsString();
    }
}
