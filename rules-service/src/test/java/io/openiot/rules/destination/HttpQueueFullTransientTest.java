package io.openiot.rules.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code queue-full-transient=true}: a full destination queue is a transient failure, so the batch is retried with the
 * consumer paused until the queue takes every request. Nothing goes to the error action, every message reaches the
 * endpoint once, and the other rule's outputs are not repeated by the retries; but its batch waits for the slow
 * endpoint, which is why this is not the default.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestPropertySource(properties = {"iot.rules.destinations.queue-full-transient=true",
        "spring.cloud.stream.bindings.iotMessages-in-0.group=rules-queue-full-transient"})
class HttpQueueFullTransientTest extends HttpQueueFullScenario {

    @Test
    void aFullQueueRetriesTheBatchUntilEveryRequestIsQueuedAndNothingGoesToTheErrorAction() throws Exception {
        String fleet = "qft" + unique();
        try (TestEndpoint endpoint = slowEndpoint(fleet)) {
            double transientBefore = transientHttpFailures();

            Outcome outcome = runBurst(fleet, endpoint);

            assertThat(outcome.errors()).isEmpty();
            assertThat(endpoint.answered()).isEqualTo(BURST);
            assertThat(endpoint.requests).extracting(r -> r.header(HttpActionDispatcher.MESSAGE_ID_HEADER))
                    .doesNotHaveDuplicates().hasSize(BURST);
            assertThat(transientHttpFailures()).isGreaterThan(transientBefore);
            // the retries repeat only the http requests that did not fit, never the republishes that succeeded
            assertThat(outcome.flowed()).hasSize(BURST);
        }
    }
}
