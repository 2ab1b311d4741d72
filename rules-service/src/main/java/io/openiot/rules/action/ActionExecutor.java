package io.openiot.rules.action;

import io.openiot.contracts.DeadLetterHeaders;
import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.SinkRecord;
import io.openiot.contracts.TopicNameValidator;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Carries out actions by producing keyed Kafka records: republish to {@code iot.messages}, storage writes to
 * {@code iot.sink-records}. A send is not awaited here: the caller collects the futures of a whole batch and waits
 * once, so that Kafka round trips overlap instead of adding up.
 *
 * <p>Failures are classified here: permanent when the message does not fit the action (a template rendering an invalid
 * topic, a key that is not a NUMBER, a record larger than Kafka takes), transient otherwise (Kafka unavailable, timing
 * out, refusing for lack of in-sync replicas: retrying may help). An unknown failure counts as transient, so that it
 * is retried rather than dropped.
 */
@Component
public class ActionExecutor {

    /** The origin of every message this service puts on the bus. */
    static final String ORIGIN = "rules-service";

    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final Clock clock;

    ActionExecutor(KafkaTemplate<String, byte[]> actionKafkaTemplate, JsonMapper json, Clock clock) {
        this.kafka = actionKafkaTemplate;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Starts the action. Throws {@link ActionFailedException} at once when the message does not fit the action;
     * the returned future completes when Kafka has the record, or fails with an {@link ActionFailedException} that
     * says whether the failure is transient.
     */
    public CompletableFuture<Void> execute(RuleAction action, ActionInvocation invocation) {
        if (action instanceof RuleAction.Republish republish) {
            return republish(republish, invocation);
        }
        if (action instanceof RuleAction.DynamoDb dynamoDb) {
            return write(dynamoDb, invocation);
        }
        throw new IllegalStateException("no executor for " + action.type());
    }

    private CompletableFuture<Void> republish(RuleAction.Republish action, ActionInvocation invocation) {
        String topic = action.topic().render(invocation.context());
        TopicNameValidator.violation(topic).ifPresent(violation -> {
            throw new ActionFailedException("republish topic '" + topic + "': " + violation, false, null, topic);
        });
        IotMessage out = IotMessage.republished(topic, invocation.result().bytes(), action.qos(), ORIGIN,
                invocation.message(), clock.millis(), invocation.derivedId());
        RecordHeaders headers = new RecordHeaders();
        out.headers().forEach(headers::add);
        return send(new ProducerRecord<>(KafkaTopics.MESSAGES, null, out.topic(), out.payload(), headers),
                "republish to " + topic);
    }

    private CompletableFuture<Void> write(RuleAction.DynamoDb action, ActionInvocation invocation) {
        String hashKey = action.hashKeyValue().render(invocation.context());
        if (hashKey.isEmpty()) {
            throw new ActionFailedException("dynamoDB hash key value rendered empty", false, null);
        }
        String rangeKey = action.rangeKeyValue() == null ? null : action.rangeKeyValue().render(invocation.context());
        if (rangeKey != null && rangeKey.isEmpty()) {
            throw new ActionFailedException("dynamoDB range key value rendered empty", false, null);
        }
        ObjectNode item = JsonNodeFactory.instance.objectNode();
        item.set(action.hashKeyField(), key(hashKey, action.hashKeyType()));
        if (action.rangeKeyField() != null) {
            item.set(action.rangeKeyField(), key(rangeKey, action.rangeKeyType()));
        }
        item.set(action.payloadField(), invocation.result().isJson()
                ? invocation.result().jsonNode()
                : JsonNodeFactory.instance.stringNode(Base64.getEncoder().encodeToString(invocation.result().bytes())));
        IotMessage message = invocation.message();
        SinkRecord record = new SinkRecord(action.tableName(), hashKey, rangeKey, item,
                invocation.derivedId(), message.timestamp());
        return send(new ProducerRecord<>(KafkaTopics.SINK_RECORDS, record.kafkaKey(), json.writeValueAsBytes(record)),
                "write to table " + action.tableName());
    }

    /**
     * Puts a record that the rule could not handle on {@link KafkaTopics#RULES_DEAD_LETTERS}: the original key, value
     * and headers (so that a replay derives the same ids), plus why.
     */
    public CompletableFuture<Void> deadLetter(IotMessage message, String ruleName, String reason, String failedAction,
                                              String error) {
        RecordHeaders headers = new RecordHeaders();
        message.headers().forEach(headers::add);
        headers.add(DeadLetterHeaders.REASON, utf8(reason));
        headers.add(DeadLetterHeaders.RULE, utf8(ruleName));
        headers.add(DeadLetterHeaders.FAILED_ACTION, utf8(failedAction));
        headers.add(DeadLetterHeaders.ERROR, utf8(error.length() > 1000 ? error.substring(0, 1000) : error));
        headers.add(DeadLetterHeaders.TIMESTAMP, utf8(Long.toString(clock.millis())));
        return send(new ProducerRecord<>(KafkaTopics.RULES_DEAD_LETTERS, null, message.topic(), message.payload(),
                headers), "dead-letter for rule " + ruleName);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether Kafka refused a record for what it is, so that sending it again cannot help. */
    static boolean isPermanent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException
                    || t instanceof InvalidTopicException || t instanceof SerializationException) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode key(String value, String type) {
        if ("NUMBER".equals(type)) {
            try {
                return JsonNodeFactory.instance.numberNode(new BigDecimal(value));
            } catch (NumberFormatException e) {
                throw new ActionFailedException("key value '" + value + "' is not a NUMBER", false, e);
            }
        }
        return JsonNodeFactory.instance.stringNode(value);
    }

    private CompletableFuture<Void> send(ProducerRecord<String, byte[]> record, String what) {
        CompletableFuture<?> sent;
        try {
            sent = kafka.send(record);
        } catch (RuntimeException e) {
            // no metadata or a full buffer within max.block.ms, or a record the serializer or Kafka refuses at once
            return CompletableFuture.failedFuture(
                    new ActionFailedException(what + " failed: " + e.getMessage(), !isPermanent(e), e));
        }
        return sent.handle((result, failure) -> {
            if (failure != null) {
                throw new ActionFailedException(what + " failed: " + failure.getMessage(), !isPermanent(failure),
                        failure);
            }
            return null;
        });
    }
}
