package io.openiot.sink.ingest;

/**
 * Thrown out of the listener when the database did not take a batch for a reason that is not the records' fault
 * ({@link WriteFailure#UNAVAILABLE} or {@link WriteFailure#MISCONFIGURED}): the container's error handler then keeps
 * the batch and retries it ({@link IngestErrorHandling}).
 */
class StorageUnavailableException extends RuntimeException {

    private final WriteFailure failure;

    StorageUnavailableException(WriteFailure failure, int records, Throwable cause) {
        super("database did not take a batch of " + records + " records (" + failure + ", "
                + WriteFailure.describe(cause) + ")", cause);
        this.failure = failure;
    }

    WriteFailure failure() {
        return failure;
    }
}
