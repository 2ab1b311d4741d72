package io.openiot.gateway.http;

import io.openiot.contracts.IotMessage;
import io.openiot.gateway.InvalidRequestException;
import io.openiot.gateway.bridge.MessageForwarder;
import io.openiot.contracts.TopicNameValidator;
import io.openiot.gateway.mqtt.MqttBroker;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.concurrent.ExecutionException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * HTTPS publish as AWS's data plane offers it. The message goes to Kafka like an MQTT publish; the reply waits for
 * Kafka's acknowledgement. This replica's subscribers get it directly, because its consumer skips its own records.
 */
@RestController
@Tag(name = "Publish", description = "Publish a message over HTTPS (AWS IoT data plane)")
class HttpPublishController {

    private static final int MAX_PAYLOAD_BYTES = 128 * 1024;

    private final MessageForwarder forwarder;
    private final MqttBroker broker;

    HttpPublishController(MessageForwarder forwarder, MqttBroker broker) {
        this.forwarder = forwarder;
        this.broker = broker;
    }

    /** {@code {*topic}} takes the topic with its slashes, sent raw or encoded as %2F. */
    @PostMapping("/topics/{*topic}")
    @Operation(summary = "Publish a message to a topic",
            description = "The body is the payload, passed on byte for byte. As AWS Publish.")
    @ApiResponse(responseCode = "200", description = "Kafka has the message")
    @ApiResponse(responseCode = "400", description = "InvalidRequestException: invalid topic, QoS or payload size",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "ServiceUnavailableException: Kafka did not acknowledge the"
            + " message within iot.gateway.mqtt.kafka-ack-timeout; it may or may not be stored, publish again",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<PublishResponse> publish(
            @Parameter(description = "topic name, URL-encoded") @PathVariable String topic,
            @Parameter(description = "0 or 1") @RequestParam(defaultValue = "0") int qos,
            @Parameter(description = "keep as the topic's retained message") @RequestParam(defaultValue = "false") boolean retain,
            @RequestBody(required = false) byte[] payload,
            @Parameter(hidden = true) @RequestAttribute(name = DevicePrincipal.ATTRIBUTE, required = false)
            DevicePrincipal device) {
        String topicName = topic.startsWith("/") ? topic.substring(1) : topic;
        TopicNameValidator.violation(topicName).ifPresent(violation -> {
            throw new InvalidRequestException(violation);
        });
        if (qos < 0 || qos > 1) {
            throw new InvalidRequestException("qos must be 0 or 1");
        }
        byte[] body = payload == null ? new byte[0] : payload;
        if (body.length > MAX_PAYLOAD_BYTES) {
            throw new InvalidRequestException("payload is larger than 128 KB");
        }
        // on the certificate port the certificate's policies decide, as for an MQTT PUBLISH; on the REST port the
        // scope table already has (iot:write)
        if (device != null && !(retain ? device.policies().canPublishRetained(topicName)
                : device.policies().canPublish(topicName))) {
            throw new ForbiddenException("Not authorized to publish to " + topicName);
        }
        IotMessage message = forwarder.deviceMessage(topicName, body, qos, retain, null,
                device == null ? null : device.certificateId());
        try {
            // completes within kafka-ack-timeout, acknowledged or not
            forwarder.forward(message).get();
        } catch (ExecutionException e) {
            throw new KafkaUnavailableException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException(e);
        }
        broker.publishLocally(message);
        return ResponseEntity.ok().header("x-amzn-RequestId", message.traceId())
                .body(new PublishResponse("OK", message.traceId(), message.messageId()));
    }

    /**
     * AWS's reply body, plus the id the message carries on Kafka (equal to the trace id for a message that enters
     * here; AWS clients ignore the extra field).
     */
    record PublishResponse(String message, String traceId, String messageId) {
    }
}
