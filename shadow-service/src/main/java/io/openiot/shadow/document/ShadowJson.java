package io.openiot.shadow.document;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Reading and writing shadow JSON the same way everywhere, so that stored and requested values compare equal. */
public final class ShadowJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ShadowJson() {
    }

    /** Parses a request payload; invalid UTF-8 is 415 and anything but one JSON value is 400, as AWS answers. */
    static JsonNode parseRequest(byte[] payload) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload));
        } catch (CharacterCodingException e) {
            throw new ShadowRejection(415, ShadowRejection.NOT_UTF8, null);
        }
        try {
            JsonNode node = MAPPER.readTree(payload);
            if (node == null || node.isMissingNode()) {
                throw ShadowRejection.badRequest(ShadowRejection.INVALID_JSON, null);
            }
            return node;
        } catch (JacksonException e) {
            throw ShadowRejection.badRequest(ShadowRejection.INVALID_JSON, null);
        }
    }

    /** Parses JSON this service wrote itself (stored documents). */
    public static JsonNode read(String json) {
        return MAPPER.readTree(json);
    }

    public static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    public static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    static int utf8Size(JsonNode node) {
        return bytes(node).length;
    }

    /** An empty object to build a response in. */
    public static ObjectNode newObject() {
        return NODES.objectNode();
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ObjectNode timestamp(long epochSeconds) {
        ObjectNode leaf = object();
        leaf.put("timestamp", epochSeconds);
        return leaf;
    }
}
