package io.openiot.shadow.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests AWS rejects, with its status codes and exact messages ("Device Shadow error messages"). */
class UpdateRequestValidationTest {

    private static final String NESTED_6 = "{'a':{'b':{'c':{'d':{'e':{'f':1}}}}}}";
    private static final String NESTED_7 = "{'a':{'b':{'c':{'d':{'e':{'f':{'g':1}}}}}}}";

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("not JSON", "{'state':", 400, "Invalid JSON", null),
                Arguments.of("two JSON values", "{} {}", 400, "Invalid JSON", null),
                Arguments.of("not an object", "[1]", 400, "Invalid JSON", null),
                Arguments.of("empty payload", "", 400, "Invalid JSON", null),
                Arguments.of("no state", "{'clientToken':'t'}", 400, "Missing required node: state", "t"),
                Arguments.of("state a string", "{'state':'on','clientToken':'t'}", 400,
                        "State node must be an object", "t"),
                Arguments.of("desired an array", "{'state':{'desired':[1]}}", 400, "Desired node must be an object",
                        null),
                Arguments.of("reported a number", "{'state':{'reported':1},'clientToken':'t'}", 400,
                        "Reported node must be an object", "t"),
                Arguments.of("version a string", "{'state':{},'version':'1'}", 400, "Invalid version", null),
                Arguments.of("version a fraction", "{'state':{},'version':1.5}", 400, "Invalid version", null),
                Arguments.of("version negative", "{'state':{},'version':-1}", 400, "Invalid version", null),
                Arguments.of("client token over 64 bytes", "{'state':{},'clientToken':'" + "x".repeat(65) + "'}",
                        400, "Invalid clientToken", null),
                Arguments.of("client token of 33 two-byte characters",
                        "{'state':{},'clientToken':'" + "\u00e9".repeat(33) + "'}", 400, "Invalid clientToken", null),
                Arguments.of("client token a number", "{'state':{},'clientToken':5}", 400, "Invalid clientToken",
                        null),
                Arguments.of("seven levels in desired", "{'state':{'desired':" + NESTED_7 + "}}", 400,
                        "JSON contains too many levels of nesting; maximum is 6", null),
                Arguments.of("seven levels through an array", "{'state':{'reported':{'a':{'b':{'c':{'d':{'e':{'f':[1]}}}}}}}}",
                        400, "JSON contains too many levels of nesting; maximum is 6", null),
                Arguments.of("delta in state", "{'state':{'delta':{'a':1}},'clientToken':'t'}", 400,
                        "State contains an invalid node", "t"),
                Arguments.of("state over 8 KB", "{'state':{'desired':{'a':'" + "x".repeat(8200) + "'}}}", 413,
                        "The payload exceeds the maximum size allowed", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWithAwsCodeAndMessage(String name, String payload, int code, String message, String clientToken) {
        assertThatThrownBy(() -> UpdateRequest.parse(ShadowUpdateConformanceTest.bytes(payload), ShadowLimits.AWS))
                .isInstanceOfSatisfying(ShadowRejection.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).isEqualTo(message);
                    assertThat(e.clientToken()).isEqualTo(clientToken);
                });
    }

    @Test
    void rejectsAPayloadThatIsNotUtf8With415() {
        byte[] latin1 = "{\"state\":{\"desired\":{\"a\":\"\u00e9\"}}}".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> UpdateRequest.parse(latin1, ShadowLimits.AWS))
                .isInstanceOfSatisfying(ShadowRejection.class, e -> {
                    assertThat(e.code()).isEqualTo(415);
                    assertThat(e.getMessage())
                            .isEqualTo("Unsupported documented encoding; supported encoding is UTF-8");
                });
    }

    @Test
    void acceptsSixLevelsA64ByteTokenAndIgnoresTopLevelMembersTheDeviceSdkSends() {
        UpdateRequest request = UpdateRequest.parse(ShadowUpdateConformanceTest.bytes("{'state':{'desired':"
                + NESTED_6 + "},'clientToken':'" + "x".repeat(64) + "','version':3,'thingName':'lamp',"
                + "'shadowName':'cfg','timestamp':1}"), ShadowLimits.AWS);

        assertThat(request.desired()).isTrue();
        assertThat(request.reported()).isFalse();
        assertThat(request.version()).isEqualTo(3);
        assertThat(request.clientToken()).hasSize(64);
    }

    @Test
    void theSizeLimitIsConfigurable() {
        String payload = "{'state':{'desired':{'a':'" + "x".repeat(9000) + "'}}}";

        assertThat(UpdateRequest.parse(ShadowUpdateConformanceTest.bytes(payload), new ShadowLimits(16384, 6, 64))
                .desired()).isTrue();
    }

    @Test
    void readsTheClientTokenOfGetAndDeleteAndIgnoresTheRestOfTheirPayload() {
        assertThat(UpdateRequest.clientTokenOf(ShadowUpdateConformanceTest.bytes("{'clientToken':'g'}"),
                ShadowLimits.AWS)).isEqualTo("g");
        assertThat(UpdateRequest.clientTokenOf("not json".getBytes(StandardCharsets.UTF_8), ShadowLimits.AWS))
                .isNull();
        assertThat(UpdateRequest.clientTokenOf(new byte[0], ShadowLimits.AWS)).isNull();
    }
}
