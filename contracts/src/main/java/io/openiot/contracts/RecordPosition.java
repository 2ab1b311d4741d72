package io.openiot.contracts;

/**
 * Where a record sits in Kafka.
 *
 * @param topic     Kafka topic
 * @param partition partition, or -1 when unknown
 * @param offset    offset, or -1 when unknown
 */
public record RecordPosition(String topic, int partition, long offset) {

    /** The id a record without a message id header gets: the same for every reader and every redelivery. */
    public String derivedMessageId() {
        return MessageIds.ofRecordPosition(topic, partition, offset);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
