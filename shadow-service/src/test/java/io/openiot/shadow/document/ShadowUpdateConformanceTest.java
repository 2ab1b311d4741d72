package io.openiot.shadow.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * AWS's documented shadow behaviour, one row per example: merge, delta, metadata and the response documents
 * (Developer Guide, "Device Shadow service documents" and "Device Shadow MQTT topics"). JSON is written with single
 * quotes for legibility.
 */
class ShadowUpdateConformanceTest {

    private static final long T0 = 1_469_564_492L;
    private static final long T1 = T0 + 10;

    static Stream<Arguments> mergeAndDelta() {
        return Stream.of(
                // "Delta state": desired keys missing or different in reported form the delta; keys only in
                // reported do not
                Arguments.of("the documented delta example",
                        "{'state':{'desired':{'color':'RED','state':'STOP'},'reported':{'color':'GREEN','engine':'ON'}}}",
                        "{'state':{}}",
                        "{'desired':{'color':'RED','state':'STOP'},'reported':{'color':'GREEN','engine':'ON'}}",
                        "{'color':'RED','state':'STOP'}"),
                // "Delta state", nested objects: the delta keeps the full path and only the differing leaf
                Arguments.of("a nested delta keeps the full path",
                        "{'state':{'desired':{'lights':{'color':{'r':255,'g':255}}},"
                                + "'reported':{'lights':{'color':{'r':255,'g':0}},'engine':'ON'}}}",
                        "{'state':{}}",
                        "{'desired':{'lights':{'color':{'r':255,'g':255}}},"
                                + "'reported':{'lights':{'color':{'r':255,'g':0}},'engine':'ON'}}",
                        "{'lights':{'color':{'g':255}}}"),
                // "Array values in shadow documents": an update replaces the whole array
                Arguments.of("an array is replaced whole",
                        "{'state':{'desired':{'colors':['RED','GREEN','BLUE']}}}",
                        "{'state':{'desired':{'colors':['RED']}}}",
                        "{'desired':{'colors':['RED']}}",
                        "{'colors':['RED']}"),
                // arrays compare as whole values: same elements in another order differ
                Arguments.of("arrays are compared whole",
                        "{'state':{'desired':{'seq':[1,2]},'reported':{'seq':[1,2]}}}",
                        "{'state':{'reported':{'seq':[2,1]}}}",
                        "{'desired':{'seq':[1,2]},'reported':{'seq':[2,1]}}",
                        "{'seq':[1,2]}"),
                // "Empty shadow document properties": null deletes a key
                Arguments.of("null deletes a key",
                        "{'state':{'desired':{'color':'RED','power':'ON'}}}",
                        "{'state':{'desired':{'color':null}}}",
                        "{'desired':{'power':'ON'}}",
                        "{'power':'ON'}"),
                Arguments.of("desired null clears the section and with it the delta",
                        "{'state':{'desired':{'color':'RED'},'reported':{'color':'GREEN'}}}",
                        "{'state':{'desired':null}}",
                        "{'reported':{'color':'GREEN'}}",
                        null),
                Arguments.of("a section left empty is removed and the shadow stays",
                        "{'state':{'desired':{'color':'RED'}}}",
                        "{'state':{'desired':{'color':null}}}",
                        "{}",
                        null),
                Arguments.of("state null clears both sections",
                        "{'state':{'desired':{'a':1},'reported':{'b':2}}}",
                        "{'state':null}",
                        "{}",
                        null),
                Arguments.of("a reported value matching desired removes it from the delta",
                        "{'state':{'desired':{'color':'RED','power':'ON'}}}",
                        "{'state':{'reported':{'color':'RED'}}}",
                        "{'desired':{'color':'RED','power':'ON'},'reported':{'color':'RED'}}",
                        "{'power':'ON'}"),
                Arguments.of("a key removed from reported but still desired reappears in the delta",
                        "{'state':{'desired':{'color':'RED'},'reported':{'color':'RED'}}}",
                        "{'state':{'reported':{'color':null}}}",
                        "{'desired':{'color':'RED'}}",
                        "{'color':'RED'}"),
                Arguments.of("a type change is a difference",
                        "{'state':{'desired':{'x':{'a':1}},'reported':{'x':'flat'}}}",
                        "{'state':{'desired':{'y':true}}}",
                        "{'desired':{'x':{'a':1},'y':true},'reported':{'x':'flat'}}",
                        "{'x':{'a':1},'y':true}"),
                Arguments.of("a deep merge keeps sibling keys",
                        "{'state':{'reported':{'lights':{'color':'RED','level':3}}}}",
                        "{'state':{'reported':{'lights':{'level':5}}}}",
                        "{'reported':{'lights':{'color':'RED','level':5}}}",
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mergeAndDelta")
    void mergesAndComputesTheDeltaAsAwsDocuments(String name, String first, String second, String expectedState,
                                                 String expectedDelta) {
        ShadowDocument shadow = update(null, 0, first, T0).document();
        ShadowDocument after = update(shadow, shadow.version(), second, T1).document();

        assertThat(normal(after.state())).isEqualTo(json(expectedState));
        assertThat(normal(after.delta())).isEqualTo(expectedDelta == null ? null : json(expectedDelta));
        assertThat(after.version()).isEqualTo(2);
    }

    @Test
    void acceptedEchoesOnlyWhatTheRequestCarriedWithItsMetadata() {
        ShadowDocument shadow = update(null, 0,
                "{'state':{'desired':{'color':'RED'},'reported':{'color':'GREEN','engine':'ON'}}}", T0).document();

        ShadowUpdate update = update(shadow, 1, "{'state':{'desired':{'color':'BLUE'}},'clientToken':'tok-1',"
                + "'thingName':'lamp','shadowName':'x'}", T1);

        assertThat(normal(update.accepted())).isEqualTo(json("{'state':{'desired':{'color':'BLUE'}},"
                + "'metadata':{'desired':{'color':{'timestamp':" + T1 + "}}},"
                + "'version':2,'timestamp':" + T1 + ",'clientToken':'tok-1'}"));
    }

    @Test
    void deltaSharesTheAcceptedVersionAndTimestampAndHoldsEveryDifferingKey() {
        ShadowDocument shadow = update(null, 0, "{'state':{'desired':{'a':1},'reported':{'a':0}}}", T0).document();

        ShadowUpdate update = update(shadow, 1, "{'state':{'desired':{'b':2}},'clientToken':'c'}", T1);

        assertThat(normal(update.delta())).isEqualTo(json("{'version':2,'timestamp':" + T1 + ","
                + "'state':{'a':1,'b':2},"
                + "'metadata':{'a':{'timestamp':" + T0 + "},'b':{'timestamp':" + T1 + "}},'clientToken':'c'}"));
        assertThat(update.delta().get("version")).isEqualTo(update.accepted().get("version"));
        assertThat(update.delta().get("timestamp")).isEqualTo(update.accepted().get("timestamp"));
    }

    @Test
    void noDeltaIsPublishedForAnUpdateThatDidNotTouchDesired() {
        ShadowDocument shadow = update(null, 0, "{'state':{'desired':{'a':1}}}", T0).document();

        ShadowUpdate reportedOnly = update(shadow, 1, "{'state':{'reported':{'b':2}}}", T1);
        ShadowUpdate desiredMatching = update(reportedOnly.document(), 2,
                "{'state':{'desired':{'b':2},'reported':{'a':1}}}", T1);

        assertThat(reportedOnly.delta()).isNull();
        assertThat(normal(reportedOnly.document().delta())).isEqualTo(json("{'a':1}"));
        assertThat(desiredMatching.delta()).isNull();
    }

    @Test
    void metadataHasATimestampPerLeafAndOnePerArray() {
        ShadowDocument shadow = update(null, 0,
                "{'state':{'reported':{'colors':['RED','GREEN'],'lights':{'on':true,'level':3}}}}", T0).document();
        ShadowDocument after = update(shadow, 1, "{'state':{'reported':{'lights':{'level':4}}}}", T1).document();

        assertThat(normal(after.metadata())).isEqualTo(json("{'reported':{'colors':{'timestamp':" + T0 + "},"
                + "'lights':{'on':{'timestamp':" + T0 + "},'level':{'timestamp':" + T1 + "}}}}"));
    }

    @Test
    void documentsCarryPreviousAndCurrentWithMetadata() {
        ShadowUpdate first = update(null, 0, "{'state':{'desired':{'color':'RED'}}}", T0);
        ShadowUpdate second = update(first.document(), 1,
                "{'state':{'reported':{'color':'RED'}},'clientToken':'t'}", T1);

        assertThat(first.documents().has("previous")).isFalse();
        assertThat(normal(second.documents())).isEqualTo(json("{"
                + "'previous':{'state':{'desired':{'color':'RED'}},"
                + "'metadata':{'desired':{'color':{'timestamp':" + T0 + "}}},'version':1},"
                + "'current':{'state':{'desired':{'color':'RED'},'reported':{'color':'RED'}},"
                + "'metadata':{'desired':{'color':{'timestamp':" + T0 + "}},"
                + "'reported':{'color':{'timestamp':" + T1 + "}}},'version':2},"
                + "'timestamp':" + T1 + ",'clientToken':'t'}"));
    }

    @Test
    void getResponseHasStateWithDeltaMetadataVersionAndTimestamp() {
        ShadowDocument shadow = update(null, 0,
                "{'state':{'desired':{'color':'RED'},'reported':{'color':'GREEN'}}}", T0).document();

        assertThat(normal(shadow.getResponse(T1, "g-1"))).isEqualTo(json("{"
                + "'state':{'desired':{'color':'RED'},'reported':{'color':'GREEN'},'delta':{'color':'RED'}},"
                + "'metadata':{'desired':{'color':{'timestamp':" + T0 + "}},"
                + "'reported':{'color':{'timestamp':" + T0 + "}}},"
                + "'version':1,'timestamp':" + T1 + ",'clientToken':'g-1'}"));
    }

    @Test
    void aMatchingVersionIsAcceptedAndAnyOtherIsAConflict() {
        ShadowDocument shadow = update(null, 0, "{'state':{'desired':{'a':1}}}", T0).document();

        assertThat(update(shadow, 1, "{'state':{'desired':{'a':2}},'version':1}", T1).document().version())
                .isEqualTo(2);
        assertThatThrownBy(() -> update(shadow, 1, "{'state':{'desired':{'a':2}},'version':7,'clientToken':'v'}",
                T1))
                .isInstanceOfSatisfying(ShadowRejection.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.getMessage()).isEqualTo("Version conflict");
                    assertThat(e.clientToken()).isEqualTo("v");
                });
    }

    @Test
    void aRecreatedShadowContinuesTheVersionCount() {
        ShadowUpdate recreated = update(null, 5, "{'state':{'reported':{'a':1}}}", T1);

        assertThat(recreated.document().version()).isEqualTo(6);
        assertThat(recreated.documents().has("previous")).isFalse();
    }

    @Test
    void theMergedStateMustStayWithinTheSizeLimit() {
        ShadowLimits small = new ShadowLimits(64, 6, 64);
        ShadowDocument shadow = ShadowUpdate.apply(null, 0,
                UpdateRequest.parse(bytes("{'state':{'desired':{'a':'" + "x".repeat(30) + "'}}}"), small), T0,
                small).document();

        assertThatThrownBy(() -> ShadowUpdate.apply(shadow, 1,
                UpdateRequest.parse(bytes("{'state':{'reported':{'b':'" + "y".repeat(30) + "'}}}"), small), T1,
                small))
                .isInstanceOfSatisfying(ShadowRejection.class, e -> {
                    assertThat(e.code()).isEqualTo(413);
                    assertThat(e.getMessage()).isEqualTo("The payload exceeds the maximum size allowed");
                });
    }

    @Test
    void rejectedAndDeleteAcceptedDocumentsHaveAwsMembers() {
        JsonNode rejected = normal(ShadowUpdate.rejected(
                ShadowRejection.notFound(new ShadowName("lamp", "cfg"), "t"), T1));
        assertThat(rejected.get("message").stringValue()).isEqualTo("No shadow exists with name: 'cfg'");
        assertThat(((tools.jackson.databind.node.ObjectNode) rejected).without("message"))
                .isEqualTo(json("{'code':404,'timestamp':" + T1 + ",'clientToken':'t'}"));
        assertThat(ShadowUpdate.rejected(ShadowRejection.notFound(ShadowName.classic("lamp"), null), T1)
                .get("message").stringValue()).isEqualTo("No shadow exists with name: 'lamp'");
        assertThat(normal(ShadowUpdate.deleteAccepted(4, T1, null)))
                .isEqualTo(json("{'version':4,'timestamp':" + T1 + "}"));
    }

    static ShadowUpdate update(ShadowDocument current, long lastVersion, String request, long now) {
        return ShadowUpdate.apply(current, lastVersion, UpdateRequest.parse(bytes(request), ShadowLimits.AWS), now,
                ShadowLimits.AWS);
    }

    /** The node as it reads back from its JSON text, so that int and long nodes of one number compare equal. */
    static JsonNode normal(JsonNode node) {
        return node == null ? null : ShadowJson.read(ShadowJson.write(node));
    }

    static byte[] bytes(String singleQuoted) {
        return singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode json(String singleQuoted) {
        return ShadowJson.read(singleQuoted.replace('\'', '"'));
    }
}
