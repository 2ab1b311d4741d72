package io.openiot.shadow.document;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated update request: {@code {"state":{"desired"?,"reported"?},"clientToken"?,"version"?}}. Other top-level
 * members are ignored (the AWS IoT Device SDK v2 sends {@code thingName} and {@code shadowName}); inside
 * {@code state} only {@code desired} and {@code reported} are allowed.
 *
 * @param state       the request's {@code state} exactly as sent, echoed by {@code update/accepted}; {@code null}
 *                    when the request sent {@code "state": null} (both sections are cleared)
 * @param desired     whether the request has a {@code desired} member
 * @param reported    whether the request has a {@code reported} member
 * @param clientToken the client token, or {@code null}
 * @param version     the version the client expects the shadow to have, or {@code null}
 */
public record UpdateRequest(ObjectNode state, boolean desired, boolean reported, String clientToken, Long version) {

    private static final String STATE = "state";
    static final String DESIRED = "desired";
    static final String REPORTED = "reported";

    /** Validates a payload in AWS's order of checks; a failure carries the client token once it could be read. */
    public static UpdateRequest parse(byte[] payload, ShadowLimits limits) {
        JsonNode root = ShadowJson.parseRequest(payload);
        if (!root.isObject()) {
            throw ShadowRejection.badRequest(ShadowRejection.INVALID_JSON, null);
        }
        String clientToken = clientToken(root, limits);
        try {
            return parse((ObjectNode) root, clientToken, limits);
        } catch (ShadowRejection e) {
            throw e.withClientToken(clientToken);
        }
    }

    /** The client token of a get or delete request, whose payload AWS otherwise ignores; {@code null} if none. */
    public static String clientTokenOf(byte[] payload, ShadowLimits limits) {
        if (payload == null || payload.length == 0) {
            return null;
        }
        try {
            JsonNode root = ShadowJson.parseRequest(payload);
            return root.isObject() ? clientToken(root, limits) : null;
        } catch (ShadowRejection e) {
            return null;
        }
    }

    private static UpdateRequest parse(ObjectNode root, String clientToken, ShadowLimits limits) {
        if (!root.has(STATE)) {
            throw ShadowRejection.badRequest(ShadowRejection.MISSING_STATE, clientToken);
        }
        Long version = version(root.get("version"));
        JsonNode state = root.get(STATE);
        if (state.isNull()) {
            return new UpdateRequest(null, true, true, clientToken, version);
        }
        if (!state.isObject()) {
            throw ShadowRejection.badRequest(ShadowRejection.STATE_NOT_OBJECT, clientToken);
        }
        for (String member : state.propertyNames()) {
            if (!member.equals(DESIRED) && !member.equals(REPORTED)) {
                throw ShadowRejection.badRequest(ShadowRejection.INVALID_STATE_NODE, clientToken);
            }
        }
        section(state.get(DESIRED), ShadowRejection.DESIRED_NOT_OBJECT, limits);
        section(state.get(REPORTED), ShadowRejection.REPORTED_NOT_OBJECT, limits);
        if (ShadowJson.utf8Size(state) > limits.maxStateBytes()) {
            throw new ShadowRejection(413, ShadowRejection.TOO_LARGE, clientToken);
        }
        return new UpdateRequest((ObjectNode) state, state.has(DESIRED), state.has(REPORTED), clientToken, version);
    }

    private static void section(JsonNode section, String notObject, ShadowLimits limits) {
        if (section == null || section.isNull()) {
            return;
        }
        if (!section.isObject()) {
            throw ShadowRejection.badRequest(notObject, null);
        }
        if (depth(section) > limits.maxDepth()) {
            throw ShadowRejection.badRequest(ShadowRejection.TOO_DEEP + limits.maxDepth(), null);
        }
    }

    /** Levels of containers: {@code 1} is 0, {@code {"a":1}} is 1, {@code {"a":[1]}} is 2. */
    static int depth(JsonNode node) {
        if (!node.isContainer()) {
            return 0;
        }
        int deepest = 0;
        for (JsonNode child : node.values()) {
            deepest = Math.max(deepest, depth(child));
        }
        return deepest + 1;
    }

    private static String clientToken(JsonNode root, ShadowLimits limits) {
        JsonNode token = root.get("clientToken");
        if (token == null || token.isNull()) {
            return null;
        }
        if (!token.isString() || token.stringValue().getBytes(StandardCharsets.UTF_8).length
                > limits.maxClientTokenBytes()) {
            throw ShadowRejection.badRequest(ShadowRejection.INVALID_CLIENT_TOKEN, null);
        }
        return token.stringValue();
    }

    private static Long version(JsonNode version) {
        if (version == null || version.isNull()) {
            return null;
        }
        if (!version.isIntegralNumber() || !version.canConvertToLong() || version.longValue() < 0) {
            throw ShadowRejection.badRequest(ShadowRejection.INVALID_VERSION, null);
        }
        return version.longValue();
    }
}
