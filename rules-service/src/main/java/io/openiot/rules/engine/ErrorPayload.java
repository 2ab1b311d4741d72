package io.openiot.rules.engine;

import io.openiot.contracts.IotMessage;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** AWS's error action payload: one per (rule, message), with every failure. */
final class ErrorPayload {

    /** One failed action as {@code failures[]} lists it. */
    record Entry(String failedAction, String failedResource, String errorMessage) {
    }

    private ErrorPayload() {
    }

    static ObjectNode of(String ruleName, IotMessage message, List<Entry> failures) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode payload = nodes.objectNode();
        payload.put("ruleName", ruleName);
        payload.put("topic", message.topic());
        payload.put("cloudwatchTraceId", message.traceId());
        if (message.clientId() != null) {
            payload.put("clientId", message.clientId());
        }
        payload.put("base64OriginalPayload", Base64.getEncoder().encodeToString(message.payload()));
        ArrayNode list = payload.putArray("failures");
        for (Entry failure : failures) {
            list.addObject().put("failedAction", failure.failedAction()).put("failedResource", failure.failedResource())
                    .put("errorMessage", failure.errorMessage());
        }
        return payload;
    }
}
