package io.openiot.policylang;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Small helpers for writing the tables: AWS's example region and account, one-statement documents. */
final class Policies {

    static final String REGION = "us-east-1";
    static final String ACCOUNT = "123456789012";
    static final String ARN = "arn:aws:iot:" + REGION + ":" + ACCOUNT + ":";

    private Policies() {
    }

    static String statement(String effect, String actions, String resources) {
        return statement(effect, actions, resources, null);
    }

    /** {@code actions} and {@code resources} are JSON (a string or an array), {@code condition} a JSON object. */
    static String statement(String effect, String actions, String resources, String condition) {
        return "{\"Effect\":\"" + effect + "\",\"Action\":" + actions + ",\"Resource\":" + resources
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    static String json(String... values) {
        return values.length == 1 ? quote(values[0])
                : "[" + String.join(",", Arrays.stream(values).map(Policies::quote).toList()) + "]";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static PrincipalContext.Builder device(String clientId) {
        return PrincipalContext.builder().region(REGION).accountId(ACCOUNT).clientId(clientId);
    }

    static PrincipalContext.ThingInfo thing(String name, String type, Map<String, String> attributes) {
        return new PrincipalContext.ThingInfo(name, type, attributes);
    }

    static PrincipalContext.CertificateInfo certificate(String id, Map<String, List<String>> subject,
            Map<String, List<String>> issuer) {
        return new PrincipalContext.CertificateInfo(id, subject, issuer, Map.of("DNSName", List.of("dev1.example.com")),
                Map.of(), "9212:85cb", Instant.parse("2024-03-26T03:25:40Z"), Instant.parse("2025-04-28T03:25:40Z"));
    }

    static CompiledPolicies compile(PrincipalContext context, String... documents) {
        return CompiledPolicies.compile(Arrays.stream(documents).map(PolicyDocument::parse).toList(), context);
    }
}
