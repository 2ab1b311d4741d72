package io.openiot.shadow.mqtt;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.RecordPosition;
import io.openiot.shadow.document.ShadowTopic;
import io.openiot.shadow.store.ResponsesNotSentException;
import io.openiot.shadow.store.ShadowService;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * The {@code shadowRequests} function bound to {@code iot.messages} (group {@code shadow-service}): answers the
 * device requests on {@code $aws/things/+/shadow/[name/+/]{update,get,delete}} one record at a time, so that the
 * responses of one shadow leave in the order of its requests (the record key is the request topic).
 *
 * <p>Failures: a bad request is answered on {@code .../rejected} by the service and never fails the record. A database
 * or Kafka outage is transient: the record is retried here, with a growing pause, until it goes through; the
 * partition waits meanwhile instead of skipping a request. Anything else (a bug) falls to the binder, whose retries
 * end in the dead-letter topic.
 */
@Component("shadowRequests")
class ShadowRequestConsumer implements Consumer<Message<byte[]>> {

    private static final Logger log = LoggerFactory.getLogger(ShadowRequestConsumer.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    private final ShadowService service;

    ShadowRequestConsumer(ShadowService service) {
        this.service = service;
    }

    @Override
    public void accept(Message<byte[]> record) {
        Object key = record.getHeaders().get(KafkaHeaders.RECEIVED_KEY);
        IotMessage message;
        try {
            message = IotMessage.fromRecord(IotMessage.text(key), record.getPayload(), record.getHeaders(),
                    new RecordPosition(KafkaTopics.MESSAGES, (int) number(record, KafkaHeaders.RECEIVED_PARTITION),
                            number(record, KafkaHeaders.OFFSET)));
        } catch (IllegalArgumentException e) {
            return;
        }
        Optional<ShadowTopic> topic = ShadowTopic.parse(message.topic());
        if (topic.isEmpty()) {
            return;
        }
        Duration pause = FIRST_PAUSE;
        while (true) {
            try {
                service.handle(message, topic.get());
                return;
            } catch (DataAccessException | TransactionException e) {
                if (e instanceof NonTransientDataAccessException && !isConnectionFailure(e)) {
                    throw e;
                }
                log.warn("Shadow request {} on {} waits for the database: {}", message.messageId(), message.topic(),
                        e.getMessage());
            } catch (RuntimeException e) {
                if (!isKafkaFailure(e)) {
                    throw e;
                }
                log.warn("Shadow request {} on {} waits for Kafka: {}", message.messageId(), message.topic(),
                        e.getMessage());
            }
            sleep(pause);
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    private static boolean isConnectionFailure(Exception e) {
        return e instanceof org.springframework.dao.DataAccessResourceFailureException;
    }

    private static boolean isKafkaFailure(RuntimeException e) {
        return e instanceof ResponsesNotSentException;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stopped while waiting to retry a shadow request", e);
        }
    }

    private static long number(Message<?> record, String header) {
        return record.getHeaders().get(header) instanceof Number n ? n.longValue() : -1;
    }
}
