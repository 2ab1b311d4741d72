package io.openiot.rules.action;

import io.openiot.contracts.DeadLetterHeaders;
import io.openiot.contracts.IotMessage;
import io.openiot.contracts.KafkaTopics;
import io.openiot.contracts.MessageHeaders;
import io.openiot.contracts.MessageIds;
import io.openiot.contracts.SinkRecord;
import io.openiot.contracts.TopicNameValidator;
import io.openiot.rules.sql.SubstitutionTemplate;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** Firehose's PutRecordBatch limit, which a batchMode action keeps. */
    static final int MAX_BATCH_RECORDS = 500;

    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final Clock clock;
    private final StreamTopicCreator topics;
    private final HttpActionSender http;

    ActionExecutor(KafkaTemplate<String, byte[]> actionKafkaTemplate, JsonMapper json, Clock clock,
                   StreamTopicCreator topics, HttpActionSender http) {
        this.kafka = actionKafkaTemplate;
        this.json = json;
        this.clock = clock;
        this.topics = topics;
        this.http = http;
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
        if (action instanceof RuleAction.DynamoDbV2 dynamoDbV2) {
            return putItem(dynamoDbV2, invocation);
        }
        if (action instanceof RuleAction.Kafka kafkaAction) {
            return kafka(kafkaAction, invocation);
        }
        if (action instanceof RuleAction.Kinesis kinesis) {
            return kinesis(kinesis, invocation);
        }
        if (action instanceof RuleAction.Firehose firehose) {
            return firehose(firehose, invocation);
        }
        if (action instanceof RuleAction.Http httpAction) {
            return http(httpAction, invocation);
        }
        throw new IllegalStateException("no executor for " + action.type());
    }

    private CompletableFuture<Void> kafka(RuleAction.Kafka action, ActionInvocation invocation) {
        String topic = action.topic().render(invocation.context());
        KafkaTopicNames.violation(topic).ifPresent(violation -> {
            throw new ActionFailedException("kafka topic: " + violation, false, null, topic);
        });
        String key = action.key() == null ? null : emptyAsNull(action.key().render(invocation.context()));
        Integer partition = null;
        if (action.partition() != null) {
            String rendered = action.partition().render(invocation.context());
            try {
                partition = Integer.parseInt(rendered.trim());
            } catch (NumberFormatException e) {
                throw new ActionFailedException("kafka partition '" + rendered + "' is not a number", false, e, topic);
            }
        }
        topics.ensure(topic);
        if (partition != null) {
            int partitions = kafka.partitionsFor(topic).size();
            if (partition < 0 || partition >= partitions) {
                throw new ActionFailedException("kafka partition " + partition + " does not exist: topic " + topic
                        + " has " + partitions, false, null, topic);
            }
        }
        RecordHeaders headers = idHeaders(invocation, invocation.derivedId());
        for (Map.Entry<String, String> header : render(action.headers(), invocation)) {
            headers.add(header.getKey(), utf8(header.getValue()));
        }
        return send(new ProducerRecord<>(topic, partition, key, invocation.result().bytes(), headers),
                "kafka to " + topic);
    }

    private CompletableFuture<Void> kinesis(RuleAction.Kinesis action, ActionInvocation invocation) {
        String topic = action.kafkaTopic();
        // AWS picks a random hash key without a partitionKey; Kafka's own partitioner spreads keyless records too
        String key = action.partitionKey() == null ? null
                : emptyAsNull(action.partitionKey().render(invocation.context()));
        topics.ensure(topic);
        return send(new ProducerRecord<>(topic, null, (String) key, invocation.result().bytes(),
                idHeaders(invocation, invocation.derivedId())), "kinesis to " + topic);
    }

    private CompletableFuture<Void> firehose(RuleAction.Firehose action, ActionInvocation invocation) {
        String topic = action.kafkaTopic();
        byte[] separator = action.separator() == null ? new byte[0] : utf8(action.separator());
        List<byte[]> records = new ArrayList<>();
        if (action.batchMode()) {
            if (!invocation.result().isJson() || !invocation.result().jsonNode().isArray()) {
                throw new ActionFailedException("firehose batchMode needs a SELECT that results in a JSON array",
                        false, null, action.deliveryStreamName());
            }
            JsonNode array = invocation.result().jsonNode();
            if (array.size() > MAX_BATCH_RECORDS) {
                throw new ActionFailedException("firehose batchMode: " + array.size() + " elements, at most "
                        + MAX_BATCH_RECORDS, false, null, action.deliveryStreamName());
            }
            for (JsonNode element : array) {
                records.add(json.writeValueAsBytes(element));
            }
        } else {
            records.add(invocation.result().bytes());
        }
        topics.ensure(topic);
        List<CompletableFuture<Void>> sends = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            // one id per element, stable across retries: the action's id, or the element's index under it
            String id = action.batchMode() ? MessageIds.derived(invocation.message().messageId(),
                    invocation.ruleName(), invocation.actionKey() + "[" + i + "]") : invocation.derivedId();
            sends.add(send(new ProducerRecord<>(topic, null, (String) null, concat(records.get(i), separator),
                    idHeaders(invocation, id)), "firehose to " + topic));
        }
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> putItem(RuleAction.DynamoDbV2 action, ActionInvocation invocation) {
        if (!invocation.result().isJson() || !invocation.result().jsonNode().isObject()) {
            throw new ActionFailedException("dynamoDBv2 needs a SELECT that results in a JSON object", false, null,
                    action.tableName());
        }
        IotMessage message = invocation.message();
        // the key is in the item; the source topic only partitions the records, so one device's writes stay in order
        SinkRecord record = new SinkRecord(action.tableName(), message.topic(), null, invocation.result().jsonNode(),
                invocation.derivedId(), message.timestamp(), SinkRecord.Operation.INSERT, null, null, null, null,
                null, Boolean.TRUE);
        return send(new ProducerRecord<>(KafkaTopics.SINK_RECORDS, record.kafkaKey(), json.writeValueAsBytes(record)),
                "put item into table " + action.tableName());
    }

    private CompletableFuture<Void> http(RuleAction.Http action, ActionInvocation invocation) {
        String url = action.url().render(invocation.context());
        HttpUrls.violation(url).ifPresent(violation -> {
            throw new ActionFailedException("http url: " + violation, false, null, url);
        });
        if (!url.startsWith(action.confirmationUrl())) {
            throw new ActionFailedException("http url '" + url + "' does not start with the confirmationUrl "
                    + action.confirmationUrl(), false, null, url);
        }
        List<Map.Entry<String, String>> headers = render(action.headers(), invocation);
        for (Map.Entry<String, String> header : headers) {
            if (HttpUrls.RESTRICTED_HEADERS.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))
                    || header.getKey().isEmpty()) {
                throw new ActionFailedException("http header '" + header.getKey() + "' cannot be set", false, null,
                        url);
            }
        }
        // rendered here, on the consumer thread that owns the result; the destination's threads only send
        http.submit(new HttpActionSender.Request(action, url, headers, invocation.result().bytes(),
                invocation.result().isJson(), invocation.derivedId()), invocation);
        return CompletableFuture.completedFuture(null);
    }

    private static List<Map.Entry<String, String>> render(List<RuleAction.HeaderTemplate> templates,
                                                          ActionInvocation invocation) {
        List<Map.Entry<String, String>> rendered = new ArrayList<>(templates.size());
        for (RuleAction.HeaderTemplate header : templates) {
            rendered.add(Map.entry(header.key().render(invocation.context()),
                    header.value().render(invocation.context())));
        }
        return rendered;
    }

    /** The platform's ids on a record a stream action makes: downstream de-duplication goes by the message id. */
    private static RecordHeaders idHeaders(ActionInvocation invocation, String messageId) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(MessageHeaders.MESSAGE_ID, utf8(messageId));
        headers.add(MessageHeaders.TRACE_ID, utf8(invocation.message().traceId()));
        headers.add(MessageHeaders.MQTT_TOPIC, utf8(invocation.message().topic()));
        headers.add(MessageHeaders.ORIGIN, utf8(ORIGIN));
        return headers;
    }

    private static byte[] concat(byte[] record, byte[] separator) {
        if (separator.length == 0) {
            return record;
        }
        byte[] out = new byte[record.length + separator.length];
        System.arraycopy(record, 0, out, 0, record.length);
        System.arraycopy(separator, 0, out, record.length, separator.length);
        return out;
    }

    private static String emptyAsNull(String text) {
        return text.isEmpty() ? null : text;
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
        if (action.headers() != null) {
            mqttHeaders(action.headers(), invocation, topic, headers);
        }
        return send(new ProducerRecord<>(KafkaTopics.MESSAGES, null, out.topic(), out.payload(), headers),
                "republish to " + topic);
    }

    /** The MQTT 5 properties of a republish, rendered and recorded as headers; one that does not fit fails it. */
    private void mqttHeaders(RuleAction.MqttHeaders mqtt, ActionInvocation invocation, String topic,
                             RecordHeaders headers) {
        String format = renderOrNull(mqtt.payloadFormatIndicator(), invocation);
        if (format != null && !ActionParser.PAYLOAD_FORMATS.contains(format)) {
            throw new ActionFailedException("republish payloadFormatIndicator '" + format
                    + "' is not UNSPECIFIED_BYTES or UTF8_DATA", false, null, topic);
        }
        String correlation = renderOrNull(mqtt.correlationData(), invocation);
        if (correlation != null && !ActionParser.isBase64(correlation)) {
            throw new ActionFailedException("republish correlationData is not base64", false, null, topic);
        }
        String expiry = renderOrNull(mqtt.messageExpiry(), invocation);
        if (expiry != null && !ActionParser.isExpiry(expiry)) {
            throw new ActionFailedException("republish messageExpiry '" + expiry + "' is not a number of seconds",
                    false, null, topic);
        }
        String responseTopic = renderOrNull(mqtt.responseTopic(), invocation);
        if (responseTopic != null) {
            TopicNameValidator.violation(responseTopic).ifPresent(violation -> {
                throw new ActionFailedException("republish responseTopic '" + responseTopic + "': " + violation,
                        false, null, topic);
            });
        }
        addIfPresent(headers, MessageHeaders.MQTT5_PAYLOAD_FORMAT_INDICATOR, format);
        addIfPresent(headers, MessageHeaders.MQTT5_CONTENT_TYPE, renderOrNull(mqtt.contentType(), invocation));
        addIfPresent(headers, MessageHeaders.MQTT5_RESPONSE_TOPIC, responseTopic);
        addIfPresent(headers, MessageHeaders.MQTT5_CORRELATION_DATA, correlation);
        addIfPresent(headers, MessageHeaders.MQTT5_MESSAGE_EXPIRY, expiry == null ? null : expiry.trim());
        for (Map.Entry<String, String> property : render(mqtt.userProperties(), invocation)) {
            ObjectNode pair = JsonNodeFactory.instance.objectNode();
            pair.put("key", property.getKey());
            pair.put("value", property.getValue());
            headers.add(MessageHeaders.MQTT5_USER_PROPERTY, json.writeValueAsBytes(pair));
        }
    }

    /** A rendered optional template; an empty rendering counts as absent, as for AWS's optional members. */
    private static String renderOrNull(SubstitutionTemplate template,
                                       ActionInvocation invocation) {
        return template == null ? null : emptyAsNull(template.render(invocation.context()));
    }

    private static void addIfPresent(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, utf8(value));
        }
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
        SinkRecord record;
        if (action.operation() == null) {
            record = new SinkRecord(action.tableName(), hashKey, rangeKey, item, invocation.derivedId(),
                    message.timestamp());
        } else {
            // AWS's operation: the item is keyed by hash (and range) key, as in DynamoDB; the sink applies it
            String operation = action.operation().render(invocation.context()).trim().toUpperCase(Locale.ROOT);
            if (!ActionParser.DYNAMO_OPERATIONS.contains(operation)) {
                throw new ActionFailedException("dynamoDB operation '" + operation
                        + "' is not INSERT, UPDATE or DELETE", false, null, action.tableName());
            }
            JsonNode payload = item.get(action.payloadField());
            record = new SinkRecord(action.tableName(), hashKey, rangeKey, payload, invocation.derivedId(),
                    message.timestamp(), SinkRecord.Operation.valueOf(operation), action.hashKeyField(),
                    sinkKeyType(action.hashKeyType()), action.rangeKeyField(),
                    action.rangeKeyField() == null ? null : sinkKeyType(action.rangeKeyType()),
                    action.payloadField());
        }
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

    /** DynamoDB's key type letter for the action's STRING / NUMBER. */
    private static String sinkKeyType(String type) {
        return "NUMBER".equals(type) ? "N" : "S";
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
