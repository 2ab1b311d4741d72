package io.openiot.policylang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyParserTest {

    private static final String ARN = "arn:aws:iot:us-east-1:123456789012:";

    @Test
    void parsesStatementArrayWithStringAndArrayElements() {
        PolicyDocument doc = PolicyDocument.parse("""
                {"Version": "2012-10-17", "Id": "p1", "Statement": [
                  {"Sid": "connect", "Effect": "Allow", "Action": "iot:Connect",
                   "Resource": "arn:aws:iot:us-east-1:123456789012:client/${iot:ClientId}"},
                  {"Effect": "Deny", "NotAction": ["iot:Publish", "iot:Receive"], "NotResource": ["*"],
                   "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": true}}}]}""");

        assertThat(doc.version()).isEqualTo("2012-10-17");
        assertThat(doc.id()).isEqualTo("p1");
        assertThat(doc.statements()).hasSize(2);
        Statement first = doc.statements().get(0);
        assertThat(first.sid()).isEqualTo("connect");
        assertThat(first.effect()).isEqualTo(Effect.ALLOW);
        assertThat(first.actions()).containsExactly("iot:Connect");
        assertThat(first.notAction()).isFalse();
        assertThat(first.resources()).containsExactly(ARN + "client/${iot:ClientId}");
        Statement second = doc.statements().get(1);
        assertThat(second.effect()).isEqualTo(Effect.DENY);
        assertThat(second.notAction()).isTrue();
        assertThat(second.actions()).containsExactly("iot:Publish", "iot:Receive");
        assertThat(second.notResource()).isTrue();
        assertThat(second.conditions()).containsExactly(
                new Condition("Bool", "iot:Connection.Thing.IsAttached", List.of("true")));
    }

    @Test
    void parsesASingleStatementObject() {
        PolicyDocument doc = PolicyDocument.parse("""
                {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iot:*","Resource":"*"}}""");

        assertThat(doc.statements()).singleElement().satisfies(s -> {
            assertThat(s.actions()).containsExactly("iot:*");
            assertThat(s.resources()).containsExactly("*");
        });
    }

    @Test
    void modelIsImmutable() {
        PolicyDocument doc = PolicyDocument.parse("""
                {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iot:*","Resource":"*"}}""");

        assertThatThrownBy(() -> doc.statements().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> doc.statements().get(0).actions().add("iot:Publish"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void missingVersionMeansTheOldLanguageWhereVariablesAreText() {
        PolicyDocument doc = PolicyDocument.parse("""
                {"Statement":{"Effect":"Allow","Action":"iot:Publish",
                 "Resource":"arn:aws:iot:us-east-1:123456789012:topic/${iot:ClientId}"}}""");
        CompiledPolicies compiled = CompiledPolicies.compile(List.of(doc),
                PrincipalContext.builder().region("us-east-1").accountId("123456789012").clientId("dev1").build());

        assertThat(doc.version()).isEqualTo(PolicyDocument.VERSION_2008_10_17);
        assertThat(compiled.canPublish("dev1")).isFalse();
        assertThat(compiled.canPublish("${iot:ClientId}")).isTrue();
    }

    @Test
    void documentOf2048CharactersWithoutWhiteSpaceIsAcceptedAndOneMoreIsRejected() {
        String head = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\","
                + "\"Resource\":\"" + ARN + "topic/";
        String tail = "\"}}";
        String exact = head + "a".repeat(2048 - head.length() - tail.length()) + tail;
        assertThat(exact).hasSize(2048);
        // white space does not count: pretty-printing an accepted document keeps it accepted
        String spaced = exact.replace(",", ",\n    ").replace(":{", ": {");

        assertThat(PolicyDocument.parse(exact).statements()).hasSize(1);
        assertThat(PolicyDocument.parse(spaced).statements()).hasSize(1);
        String tooLong = head + "a".repeat(2049 - head.length() - tail.length()) + tail;
        assertThatThrownBy(() -> PolicyDocument.parse(tooLong))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessageContaining("2049 characters without white space")
                .hasMessageContaining("2048");
    }

    @Test
    void exceptionCarriesAwsErrorName() {
        MalformedPolicyException e = new MalformedPolicyException("x");
        assertThat(e.errorCode()).isEqualTo("MalformedPolicyException");
    }

    static Stream<Arguments> malformed() {
        String allow = "\"Effect\":\"Allow\",";
        String publish = "\"Action\":\"iot:Publish\",";
        String resource = "\"Resource\":\"" + ARN + "topic/a\"";
        return Stream.of(
                Arguments.of("not JSON", "{\"Version\":", "not valid JSON"),
                Arguments.of("not an object", "[]", "must be a JSON object"),
                Arguments.of("empty", "  ", "empty"),
                Arguments.of("unknown version", "{\"Version\":\"2020-01-01\",\"Statement\":{" + allow + publish
                        + resource + "}}", "Invalid Version"),
                Arguments.of("no statement", "{\"Version\":\"2012-10-17\"}", "no Statement"),
                Arguments.of("empty statement list", "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
                        "Statement must not be empty"),
                Arguments.of("unknown top-level field", "{\"Version\":\"2012-10-17\",\"Foo\":1,\"Statement\":{"
                        + allow + publish + resource + "}}", "Unknown field 'Foo'"),
                Arguments.of("duplicate field", "{\"Version\":\"2012-10-17\",\"Statement\":{" + allow + allow
                        + publish + resource + "}}", "Duplicate"),
                Arguments.of("trailing content", "{\"Version\":\"2012-10-17\",\"Statement\":{" + allow + publish
                        + resource + "}} {}", "not valid JSON"),
                Arguments.of("no effect", doc(publish + resource), "has no Effect"),
                Arguments.of("effect in lower case", doc("\"Effect\":\"allow\"," + publish + resource),
                        "Invalid Effect"),
                Arguments.of("no action", doc(allow + resource), "exactly one of Action and NotAction"),
                Arguments.of("action and not action", doc(allow + publish + "\"NotAction\":\"iot:Receive\","
                        + resource), "exactly one of Action and NotAction"),
                Arguments.of("no resource", doc(allow + "\"Action\":\"iot:Publish\""),
                        "exactly one of Resource and NotResource"),
                Arguments.of("empty action list", doc(allow + "\"Action\":[]," + resource),
                        "Action must not be empty"),
                Arguments.of("action without service", doc(allow + "\"Action\":\"Publish\"," + resource),
                        "Invalid action 'Publish'"),
                Arguments.of("action not a string", doc(allow + "\"Action\":[1]," + resource),
                        "Action must be a string"),
                Arguments.of("resource not an ARN", doc(allow + publish + "\"Resource\":\"topic/a\""),
                        "Invalid resource 'topic/a'"),
                Arguments.of("resource empty", doc(allow + publish + "\"Resource\":\"\""),
                        "must not be an empty string"),
                Arguments.of("principal", doc(allow + publish + resource + ",\"Principal\":\"*\""),
                        "must not name a Principal"),
                Arguments.of("unknown statement field", doc(allow + publish + resource + ",\"Foo\":\"x\""),
                        "Unknown field 'Foo' in Statement"),
                Arguments.of("unterminated variable", doc(allow + publish + "\"Resource\":\"" + ARN
                        + "topic/${iot:ClientId\""), "Unterminated policy variable"),
                Arguments.of("variable without a service", doc(allow + publish + "\"Resource\":\"" + ARN
                        + "topic/${ClientId}\""), "Invalid policy variable"),
                Arguments.of("unknown condition operator", doc(allow + publish + resource
                        + ",\"Condition\":{\"StringMatches\":{\"iot:ClientId\":\"a\"}}"),
                        "Unknown condition operator StringMatches"),
                Arguments.of("date condition", doc(allow + publish + resource
                        + ",\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"}}"),
                        "DateGreaterThan is not supported"),
                Arguments.of("bool condition with other value", doc(allow + publish + resource
                        + ",\"Condition\":{\"Bool\":{\"iot:Connection.Thing.IsAttached\":\"yes\"}}"),
                        "takes true or false"),
                Arguments.of("bad CIDR", doc(allow + publish + resource
                        + ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/33\"}}"),
                        "takes an IP address or CIDR block"),
                Arguments.of("empty condition", doc(allow + publish + resource + ",\"Condition\":{}"),
                        "non-empty object"));
    }

    private static String doc(String statementBody) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{" + statementBody + "}]}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedDocumentWithReason(String what, String json, String reason) {
        assertThatThrownBy(() -> PolicyDocument.parse(json))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessageContaining(reason);
    }
}
