package io.openiot.policylang;

import static io.openiot.policylang.Policies.ARN;
import static io.openiot.policylang.Policies.certificate;
import static io.openiot.policylang.Policies.compile;
import static io.openiot.policylang.Policies.device;
import static io.openiot.policylang.Policies.json;
import static io.openiot.policylang.Policies.policy;
import static io.openiot.policylang.Policies.statement;
import static io.openiot.policylang.Policies.thing;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** IAM's condition operators on the keys a device connection has, decided when its policies compile. */
class ConditionTest {

    private static final PrincipalContext DEVICE = device("sensor-17")
            .sourceIp("10.1.2.3")
            .domainName("iot.example.com")
            .thing(thing("sensor-17", "thermometer", Map.of("floor", "3", "wing", "east")))
            .certificate(certificate("b".repeat(64),
                    Map.of("CommonName", List.of("sensor-17"), "Organization", List.of("Acme", "Acme Labs")),
                    Map.of("CommonName", List.of("Acme CA"))))
            .build();
    private static final PrincipalContext BARE = device("sensor-18").build();

    private static Arguments row(String behaviour, String condition, PrincipalContext context, boolean allowed) {
        return Arguments.of(behaviour, condition, context, allowed);
    }

    static Stream<Arguments> conditions() {
        return Stream.of(
                row("StringEquals on the client id", "{\"StringEquals\":{\"iot:ClientId\":\"sensor-17\"}}", DEVICE,
                        true),
                row("StringEquals: any of the values", "{\"StringEquals\":{\"iot:ClientId\":[\"a\",\"sensor-17\"]}}",
                        DEVICE, true),
                row("StringEquals takes * literally", "{\"StringEquals\":{\"iot:ClientId\":\"sensor-*\"}}", DEVICE,
                        false),
                row("StringNotEquals", "{\"StringNotEquals\":{\"iot:ClientId\":[\"a\",\"b\"]}}", DEVICE, true),
                row("StringNotEquals: one of the values equals", "{\"StringNotEquals\":{\"iot:ClientId\":[\"a\","
                        + "\"sensor-17\"]}}", DEVICE, false),
                row("StringEqualsIgnoreCase", "{\"StringEqualsIgnoreCase\":{\"iot:ClientId\":\"SENSOR-17\"}}",
                        DEVICE, true),
                row("StringLike with *", "{\"StringLike\":{\"iot:ClientId\":\"sensor-*\"}}", DEVICE, true),
                row("StringLike with ?", "{\"StringLike\":{\"iot:ClientId\":\"sensor-?\"}}", DEVICE, false),
                row("StringNotLike", "{\"StringNotLike\":{\"iot:ClientId\":\"admin-*\"}}", DEVICE, true),
                row("condition value with a variable", "{\"StringEquals\":{\"iot:ClientId\":"
                        + "\"${iot:Connection.Thing.ThingName}\"}}", DEVICE, true),
                row("Bool IsAttached true", "{\"Bool\":{\"iot:Connection.Thing.IsAttached\":\"true\"}}", DEVICE,
                        true),
                row("Bool IsAttached without a thing", "{\"Bool\":{\"iot:Connection.Thing.IsAttached\":\"true\"}}",
                        BARE, false),
                row("Bool IsAttached false without a thing",
                        "{\"Bool\":{\"iot:Connection.Thing.IsAttached\":\"false\"}}", BARE, true),
                row("thing attribute", "{\"StringEquals\":{\"iot:Connection.Thing.Attributes[wing]\":\"east\"}}",
                        DEVICE, true),
                row("thing type", "{\"StringEquals\":{\"iot:Connection.Thing.ThingTypeName\":\"thermometer\"}}",
                        DEVICE, true),
                row("numeric attribute", "{\"NumericLessThanEquals\":{\"iot:Connection.Thing.Attributes[floor]\":5}}",
                        DEVICE, true),
                row("numeric attribute, greater than", "{\"NumericGreaterThan\":"
                        + "{\"iot:Connection.Thing.Attributes[floor]\":\"5\"}}", DEVICE, false),
                row("IpAddress in the block", "{\"IpAddress\":{\"aws:SourceIp\":\"10.1.0.0/16\"}}", DEVICE, true),
                row("IpAddress outside the block", "{\"IpAddress\":{\"aws:SourceIp\":\"192.168.0.0/16\"}}", DEVICE,
                        false),
                row("NotIpAddress", "{\"NotIpAddress\":{\"aws:SourceIp\":\"192.168.0.0/16\"}}", DEVICE, true),
                row("IpAddress IPv6 block, IPv4 client", "{\"IpAddress\":{\"aws:SourceIp\":\"2001:db8::/32\"}}",
                        DEVICE, false),
                row("IpAddress IPv6 block, IPv6 client", "{\"IpAddress\":{\"aws:SourceIp\":\"2001:db8::/32\"}}",
                        device("v6").sourceIp("2001:db8:0:1::7").build(), true),
                row("IpAddress IPv6 block, IPv6 client outside", "{\"IpAddress\":{\"aws:SourceIp\":"
                        + "\"2001:db8::/32\"}}", device("v6").sourceIp("2001:db9::7").build(), false),
                row("domain name", "{\"StringEquals\":{\"iot:DomainName\":\"iot.example.com\"}}", DEVICE, true),
                row("ForAnyValue over a multi-valued subject field",
                        "{\"ForAnyValue:StringEquals\":{\"iot:Certificate.Subject.Organization.List\":\"Acme Labs\"}}",
                        DEVICE, true),
                row("ForAllValues: every organization is listed",
                        "{\"ForAllValues:StringLike\":{\"iot:Certificate.Subject.Organization.List\":\"Acme*\"}}",
                        DEVICE, true),
                row("ForAllValues: one organization is not listed",
                        "{\"ForAllValues:StringEquals\":{\"iot:Certificate.Subject.Organization.List\":\"Acme\"}}",
                        DEVICE, false),
                row("single-valued subject field is the first value",
                        "{\"StringEquals\":{\"iot:Certificate.Subject.Organization\":\"Acme\"}}", DEVICE, true),
                row("missing key fails a positive operator",
                        "{\"StringEquals\":{\"iot:Certificate.Subject.CommonName\":\"sensor-18\"}}", BARE, false),
                row("missing key satisfies a negated operator",
                        "{\"StringNotEquals\":{\"iot:Certificate.Subject.CommonName\":\"x\"}}", BARE, true),
                row("IfExists with a missing key",
                        "{\"StringEqualsIfExists\":{\"iot:Certificate.Subject.CommonName\":\"x\"}}", BARE, true),
                row("IfExists with a present key that differs",
                        "{\"StringEqualsIfExists\":{\"iot:Certificate.Subject.CommonName\":\"x\"}}", DEVICE, false),
                row("Null true: the key is missing", "{\"Null\":{\"iot:Connection.Thing.ThingName\":\"true\"}}",
                        BARE, true),
                row("Null false: the key is present", "{\"Null\":{\"iot:Connection.Thing.ThingName\":\"false\"}}",
                        DEVICE, true),
                row("all conditions must hold", "{\"StringEquals\":{\"iot:ClientId\":\"sensor-17\"},"
                        + "\"IpAddress\":{\"aws:SourceIp\":\"192.168.0.0/16\"}}", DEVICE, false),
                row("all keys of one operator must hold", "{\"StringEquals\":{\"iot:ClientId\":\"sensor-17\","
                        + "\"iot:Connection.Thing.ThingTypeName\":\"camera\"}}", DEVICE, false),
                row("unknown key fails", "{\"StringEquals\":{\"iot:NoSuchKey\":\"x\"}}", DEVICE, false),
                row("ArnLike on a built ARN value", "{\"ArnLike\":{\"iot:ClientId\":\"sensor-*\"}}", DEVICE, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void conditionDecidesWhetherTheStatementApplies(String behaviour, String condition, PrincipalContext context,
            boolean allowed) {
        String policy = policy(statement("Allow", json("iot:Connect"), json(ARN + "client/*"), condition));

        assertThat(compile(context, policy).canConnect(context.clientId())).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void conditionOnADenyDecidesWhetherTheDenyApplies(String behaviour, String condition, PrincipalContext context,
            boolean applies) {
        String allow = policy(statement("Allow", json("iot:Connect"), json(ARN + "client/*")));
        String deny = policy(statement("Deny", json("iot:Connect"), json(ARN + "client/*"), condition));

        assertThat(compile(context, allow, deny).canConnect(context.clientId())).isEqualTo(!applies);
    }
}
