package io.openiot.rules.action;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Creates the topics that {@code kafka}, {@code kinesis} and {@code firehose} actions write to, the first time one is
 * written to (laid out like the platform's other topics), so that a rule does not depend on the broker's
 * auto-creation. A topic that exists already is left as it is. Each name is checked once per process.
 */
@Component
class StreamTopicCreator implements DisposableBean {

    private final KafkaAdmin kafkaAdmin;
    private final TopicLayout layout;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private volatile AdminClient admin;

    StreamTopicCreator(KafkaAdmin kafkaAdmin, TopicLayout layout) {
        this.kafkaAdmin = kafkaAdmin;
        this.layout = layout;
    }

    /** Makes sure the topic exists; a failure is transient (Kafka did not answer), the record is tried again. */
    void ensure(String topic) {
        if (known.contains(topic)) {
            return;
        }
        try {
            admin().createTopics(List.of(new NewTopic(topic, layout.minPartitionCount(), layout.replicationFactor())))
                    .all().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new ActionFailedException("could not create topic " + topic + ": " + e.getCause().getMessage(),
                        true, e.getCause(), topic);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionFailedException("interrupted while creating topic " + topic, true, e, topic);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ActionFailedException("no answer from Kafka creating topic " + topic, true, e, topic);
        }
        known.add(topic);
    }

    private AdminClient admin() {
        AdminClient client = admin;
        if (client == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = AdminClient.create(kafkaAdmin.getConfigurationProperties());
                }
                client = admin;
            }
        }
        return client;
    }

    @Override
    public void destroy() {
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
        }
    }
}
