package io.openiot.policylang;

import static io.openiot.policylang.Policies.ARN;
import static io.openiot.policylang.Policies.device;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wildcard matcher and the per-principal index, checked against plain references on random input. */
class ResourceMatchingTest {

    @ParameterizedTest(name = "''{0}'' ~ ''{1}'' = {2}")
    @CsvSource(delimiter = '|', value = {
        "a*b|ab|true", "a*b|axxb|true", "a*b|axxbc|false", "a?b|axb|true", "a?b|ab|false", "*|''|true",
        "*|x/y/z|true", "a/*/c|a/b/c|true", "a/*/c|a/b/d/c|true", "a/*/c|a//c|true", "a/*/c|a/c|false",
        "a+b|a+b|true", "a+b|axb|false", "a/#|a/#|true", "a/#|a/b|false", "**a|a|true", "*a*a|aaa|true",
        "?*|''|false", "x?|x\uD83D\uDE00|true", "x??|x\uD83D\uDE00|false"})
    void wildcardsMatchAsIam(String pattern, String value, boolean expected) {
        Glob glob = Template.parse(pattern, true).substitute(name -> null);

        assertThat(glob.matches(value)).isEqualTo(expected);
    }

    @Test
    void matcherAgreesWithARegularExpressionOnRandomInput() {
        Random random = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            String pattern = random(random, "ab/*?+", 7);
            String value = random(random, "ab/+", 8);
            Glob glob = Template.parse(pattern, true).substitute(name -> null);
            boolean expected = Pattern.matches(toRegex(pattern), value);

            assertThat(glob.matches(value)).as("'%s' ~ '%s'", pattern, value).isEqualTo(expected);
        }
    }

    @Test
    void indexAgreesWithScanningEveryStatementOnRandomPolicies() {
        Random random = new Random(7);
        String[] prefixes = {ARN + "topic/", ARN + "topicfilter/", ARN + "client/", ARN + "to", "arn:aws:iot:*:*:",
            "arn:aws:iot:us-east-1:999999999999:topic/", "arn:aws:iot:*:123456789012:topic/", "arn:aws:iot:?s-east-1:1234567890??:*"};
        for (int round = 0; round < 300; round++) {
            List<String> statements = new ArrayList<>();
            for (int s = 0; s < 1 + random.nextInt(6); s++) {
                String effect = random.nextInt(4) == 0 ? "Deny" : "Allow";
                String resources = "[\"" + prefixes[random.nextInt(prefixes.length)] + "ab*".charAt(random.nextInt(3))
                        + random(random, "ab/*?+#", 5)
                        + "\",\"" + prefixes[random.nextInt(prefixes.length)] + "ab*".charAt(random.nextInt(3))
                        + random(random, "ab/*?", 4) + "\"]";
                String resourceField = random.nextInt(5) == 0 ? "NotResource" : "Resource";
                String action = random.nextBoolean() ? "\"iot:Publish\"" : "[\"iot:Subscribe\",\"iot:Connect\"]";
                statements.add("{\"Effect\":\"" + effect + "\",\"Action\":" + action + ",\"" + resourceField + "\":"
                        + resources + "}");
            }
            String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
            CompiledPolicies compiled = Policies.compile(device("c").build(), policy);
            for (int q = 0; q < 40; q++) {
                IotAction action = switch (random.nextInt(3)) {
                    case 0 -> IotAction.PUBLISH;
                    case 1 -> IotAction.SUBSCRIBE;
                    default -> IotAction.CONNECT;
                };
                String name = random(random, "ab/+#", 6);
                String arn = action.resourceType().arn(Policies.REGION, Policies.ACCOUNT, name);

                assertThat(compiled.decideOnName(action, name)).as("%s %s under %s", action, name, policy)
                        .isEqualTo(compiled.decideByScan(action.actionName(), arn));
            }
        }
    }

    private static String random(Random random, String alphabet, int maxLength) {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static String toRegex(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return regex.toString();
    }
}
