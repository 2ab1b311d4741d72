package io.openiot.sink.ingest;

/**
 * One record of a polled batch as the binder delivered it; {@code topic} is null when the binder gave no headers.
 */
record IncomingRecord(byte[] key, byte[] value, String topic, int partition, long offset) {

    /** {@code topic-partition@offset}, for logs: where to find the record without quoting it. */
    String position() {
        return topic + "-" + partition + "@" + offset;
    }
}
