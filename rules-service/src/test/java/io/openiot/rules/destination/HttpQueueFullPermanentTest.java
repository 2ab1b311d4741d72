package io.openiot.rules.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The default: a full destination queue is a permanent failure of that message's http action, so it goes to the rule's
 * error action at once (as AWS sends a failing http action there) and the consumer moves on; the other rule's outputs
 * arrive long before the slow endpoint could have taken the burst.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestPropertySource(properties = "spring.cloud.stream.bindings.iotMessages-in-0.group=rules-queue-full-permanent")
class HttpQueueFullPermanentTest extends HttpQueueFullScenario {

    @Test
    void aFullQueueSendsTheOverflowToTheErrorActionAtOnceAndTheOtherRuleKeepsFlowing() throws Exception {
        String fleet = "qfp" + unique();
        try (TestEndpoint endpoint = slowEndpoint(fleet)) {
            double transientBefore = transientHttpFailures();

            Outcome outcome = runBurst(fleet, endpoint);

            assertThat(outcome.flowed()).hasSize(BURST);
            // the slow lane takes one request at a time: the burst would need BURST * SLOW_MILLIS to pass through it
            assertThat(outcome.flowedWithinMillis()).isLessThan(BURST * SLOW_MILLIS);
            assertThat(outcome.errors()).isNotEmpty();
            assertThat(endpoint.answered() + outcome.errors().size()).isEqualTo(BURST);
            assertThat(endpoint.requests).hasSize(endpoint.answered());
            for (ConsumerRecord<String, byte[]> error : outcome.errors()) {
                JsonNode failure = json.readTree(error.value()).get("failures").get(0);
                assertThat(failure.get("failedAction").asString()).isEqualTo("HttpAction");
                assertThat(failure.get("errorMessage").asString()).contains("is full");
            }
            assertThat(transientHttpFailures()).isEqualTo(transientBefore);
        }
    }
}
