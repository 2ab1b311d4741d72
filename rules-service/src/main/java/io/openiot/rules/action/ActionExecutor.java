package io.openiot.rules.action;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.SinkRecord;
import io.openiot.rules.sql.JsonValues;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Base64;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Carries out actions by producing Kafka records through the output bindings {@value #REPUBLISH_BINDING}
 * ({@code iot.messages}) and {@value #SINK_RECORDS_BINDING} ({@code iot.sink-records}), each with an explicit key.
 */
@Component
public class ActionExecutor {

    static final String REPUBLISH_BINDING = "republish";
    static final String SINK_RECORDS_BINDING = "sinkRecords";
    /** The origin of every message this service puts on the bus. */
    static final String ORIGIN = "rules-service";

    private final StreamBridge bridge;
    private final JsonMapper json;
    private final Clock clock;

    ActionExecutor(StreamBridge bridge, JsonMapper json, Clock clock) {
        this.bridge = bridge;
        this.json = json;
        this.clock = clock;
    }

    public void execute(RuleAction action, ActionInvocation invocation) {
        if (action instanceof RuleAction.Republish republish) {
            republish(republish, invocation);
        } else if (action instanceof RuleAction.DynamoDb dynamoDb) {
            write(dynamoDb, invocation);
        } else {
            throw new IllegalStateException("no executor for " + action.type());
        }
    }

    private void republish(RuleAction.Republish action, ActionInvocation invocation) {
        String topic = action.topic().render(invocation.context());
        if (topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
            throw new ActionFailedException("republish topic '" + topic + "' is not a valid topic name", false, null);
        }
        IotMessage out = IotMessage.republished(topic, invocation.result().bytes(), action.qos(), ORIGIN,
                invocation.message(), clock.millis());
        MessageBuilder<byte[]> builder = MessageBuilder.withPayload(out.payload())
                .setHeader(KafkaHeaders.KEY, out.topic().getBytes(UTF_8));
        out.headers().forEach(builder::setHeader);
        send(REPUBLISH_BINDING, builder.build(), "republish to " + topic);
    }

    private void write(RuleAction.DynamoDb action, ActionInvocation invocation) {
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
                ? JsonValues.toJson(invocation.result().json())
                : JsonNodeFactory.instance.stringNode(Base64.getEncoder().encodeToString(invocation.result().bytes())));
        IotMessage message = invocation.message();
        SinkRecord record = new SinkRecord(action.tableName(), hashKey, rangeKey, item,
                message.traceId() + "/" + invocation.ruleName() + "/" + invocation.actionIndex(), message.timestamp());
        Message<byte[]> kafkaMessage = MessageBuilder.withPayload(json.writeValueAsBytes(record))
                .setHeader(KafkaHeaders.KEY, record.kafkaKey().getBytes(UTF_8))
                .build();
        send(SINK_RECORDS_BINDING, kafkaMessage, "write to table " + action.tableName());
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

    private void send(String binding, Message<byte[]> message, String what) {
        boolean sent;
        try {
            sent = bridge.send(binding, message);
        } catch (RuntimeException e) {
            throw new ActionFailedException(what + " failed: " + e.getMessage(), true, e);
        }
        if (!sent) {
            throw new ActionFailedException(what + " was not accepted by the binder", true, null);
        }
    }
}
