package io.openiot.rules.action;

import java.util.List;
import java.util.Map;

/**
 * Hands an {@code http} action's request to its destination's own queue and threads: the consumer never waits for
 * an endpoint. Implemented by the {@code destination} package.
 */
public interface HttpActionSender {

    /**
     * A request rendered on the consumer thread.
     *
     * @param messageId the action's derived id, the same on every attempt
     */
    record Request(RuleAction.Http action, String url, List<Map.Entry<String, String>> headers, byte[] body,
                   boolean json, String messageId) {
    }

    /**
     * Queues the request. Returns once it is queued; what happens to it then (attempts, the error action) is decided
     * on the destination's threads, which report a final failure to {@link LateFailureHandler}.
     *
     * @throws ActionFailedException permanent when no ENABLED destination covers the URL; when the destination's
     *                               queue is full, transient or permanent as configured
     */
    void submit(Request request, ActionInvocation invocation);
}
