package io.openiot.shadow.mqtt;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.RecordPosition;
import io.openiot.shadow.document.ShadowTopic;
import io.openiot.shadow.store.ResponsesNotSentException;
import io.openiot.shadow.store.ShadowService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * The {@code shadowRequests} function bound to {@code iot.messages} (group {@code shadow-service}) in batch mode:
 * applies the device requests on {@code $aws/things/+/shadow/[name/+/]{update,get,delete}} of a poll in their order
 * in one database transaction, then sends all their responses at once and waits for Kafka — one round trip per poll
 * to each instead of one per request. The responses of one shadow leave in the order of its requests (the record key is the request topic).
 *
 * <p>Failures: a bad request is answered on {@code .../rejected} and never fails the batch; an unforeseen error on
 * one request is answered with AWS's 500 {@code Internal service failure} and logged. A database outage or Kafka not
 * taking the responses is transient: it is retried here, with a pause growing from 200 ms to 5 s, until it goes
 * through; the partition waits meanwhile instead of skipping requests. A request applied before a retry is
 * recognised by its message id and not applied twice.
 */
@Component("shadowRequests")
class ShadowRequestConsumer implements Consumer<Message<List<byte[]>>> {

    private static final Logger log = LoggerFactory.getLogger(ShadowRequestConsumer.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    private final ShadowService service;

    ShadowRequestConsumer(ShadowService service) {
        this.service = service;
    }

    @Override
    public void accept(Message<List<byte[]>> batch) {
        List<byte[]> payloads = batch.getPayload();
        List<?> keys = list(batch.getHeaders().get(KafkaHeaders.RECEIVED_KEY));
        List<?> recordHeaders = list(batch.getHeaders().get(KafkaHeaders.BATCH_CONVERTED_HEADERS));
        List<ShadowService.Request> requests = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, ?> headers = i < recordHeaders.size() && recordHeaders.get(i) instanceof Map<?, ?> map
                    ? (Map<String, ?>) map : Map.of();
            IotMessage message;
            try {
                message = IotMessage.fromRecord(i < keys.size() ? IotMessage.text(keys.get(i)) : null,
                        payloads.get(i), headers, new RecordPosition(KafkaTopics.MESSAGES,
                                (int) number(element(batch, KafkaHeaders.RECEIVED_PARTITION, i)),
                                number(element(batch, KafkaHeaders.OFFSET, i))));
            } catch (IllegalArgumentException e) {
                continue; // not a message of the topic's contract, and certainly not a shadow request
            }
            ShadowTopic.parse(message.topic()).ifPresent(topic -> requests.add(new ShadowService.Request(message,
                    topic)));
        }
        if (requests.isEmpty()) {
            return;
        }
        List<IotMessage> answers = retryingTransientFailures(null, () -> applyAll(requests));
        // by message id: a request redelivered within one batch yields its responses once
        Map<String, IotMessage> responses = new LinkedHashMap<>();
        answers.forEach(response -> responses.putIfAbsent(response.messageId(), response));
        List<String> requestIds = requests.stream().map(r -> r.message().messageId()).distinct().toList();
        retryingTransientFailures(null, () -> {
            service.send(List.copyOf(responses.values()), requestIds);
            return null;
        });
    }

    /**
     * The whole batch in one transaction; when that fails for a reason other than the database or Kafka (a bug),
     * each request again on its own, so that only the culprit is answered with a 500 and the others are applied.
     * Database failures escape: passing ones are retried by the caller, the others by the binder, as before.
     */
    private List<IotMessage> applyAll(List<ShadowService.Request> requests) {
        try {
            return service.applyAll(requests);
        } catch (DataAccessException | TransactionException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("A batch of {} shadow requests failed ({}); applying them one by one", requests.size(),
                    e.toString());
        }
        List<IotMessage> answers = new ArrayList<>();
        for (ShadowService.Request request : requests) {
            answers.addAll(retryingTransientFailures(request.message(), () -> applyOne(request)));
        }
        return answers;
    }

    private List<IotMessage> applyOne(ShadowService.Request request) {
        try {
            return service.applyAll(List.of(request));
        } catch (DataAccessException | TransactionException e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("Shadow request {} on {} failed", request.message().messageId(), request.message().topic(), e);
            return List.of(service.internalFailure(request.message(), request.topic()));
        }
    }

    /**
     * Failures that pass: lost connections, lock and statement timeouts, deadlocks and serialisation failures
     * (PostgreSQL's SQL states 08…, 40…, 55P03, 57014, 57P0…), whatever Spring translated them to.
     */
    private static boolean isTransient(RuntimeException e) {
        if (!(e instanceof DataAccessException || e instanceof TransactionException)) {
            return false;
        }
        if (!(e instanceof NonTransientDataAccessException) || e instanceof DataAccessResourceFailureException) {
            return true;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("40") || state.equals("55P03")
                        || state.equals("57014") || state.startsWith("57P0")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static <T> T retryingTransientFailures(IotMessage message, Supplier<T> action) {
        Duration pause = FIRST_PAUSE;
        while (true) {
            try {
                return action.get();
            } catch (DataAccessException | TransactionException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                log.warn("Shadow {} waits for the database: {}", what(message), e.getMessage());
            } catch (ResponsesNotSentException e) {
                log.warn("Shadow {} wait for Kafka: {}", what(message), e.getMessage());
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("stopped while waiting to retry shadow requests", e);
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    private static String what(IotMessage message) {
        return message == null ? "responses" : "request " + message.messageId() + " on " + message.topic();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : -1;
    }

    private static Object element(Message<?> batch, String header, int index) {
        List<?> values = list(batch.getHeaders().get(header));
        return index < values.size() ? values.get(index) : null;
    }

    /** The binder gives one list per Kafka header, in the order of the payloads. */
    private static List<?> list(Object header) {
        return header instanceof List<?> list ? list : List.of();
    }
}
