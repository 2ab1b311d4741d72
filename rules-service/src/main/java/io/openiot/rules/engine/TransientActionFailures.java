package io.openiot.rules.engine;

/**
 * Thrown to the listener container when some of a batch's sends failed transiently: its error handler retries the
 * batch with back-off, consumption paused, and commits nothing meanwhile.
 */
class TransientActionFailures extends RuntimeException {

    TransientActionFailures(String message) {
        super(message, null, false, false);
    }
}
