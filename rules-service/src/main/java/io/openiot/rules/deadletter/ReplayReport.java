package io.openiot.rules.deadletter;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What one replay did.
 *
 * @param examined        dead-lettered records read (of the named rule, when one was given)
 * @param replayed        records whose rule ran again and succeeded
 * @param failedAgain     records whose rule failed again: they went to the error action or the dead-letter topic anew
 * @param notMatched      records the rule, as it is now, no longer matches
 * @param ruleMissing     records whose rule does not exist or is disabled; left for a later replay
 * @param alreadyReplayed records an earlier replay handled; skipped
 * @param retryLater      records whose outputs Kafka did not take; left for a later replay
 */
@Schema(description = "Counts of what a replay did with the dead-lettered records")
record ReplayReport(int examined, int replayed, int failedAgain, int notMatched, int ruleMissing,
                    int alreadyReplayed, int retryLater) {
}
