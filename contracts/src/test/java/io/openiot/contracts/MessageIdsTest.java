package io.openiot.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void aDerivedIdIsTheSameOnEveryRetry() {
        assertThat(MessageIds.derived("m-1", "rule", "republish:out/a"))
                .isEqualTo(MessageIds.derived("m-1", "rule", "republish:out/a"));
    }

    @Test
    void aDerivedIdDependsOnSourceRuleAndActionKey() {
        String id = MessageIds.derived("m-1", "rule", "republish:out/a");

        assertThat(id).isNotEqualTo(MessageIds.derived("m-2", "rule", "republish:out/a"))
                .isNotEqualTo(MessageIds.derived("m-1", "other", "republish:out/a"))
                .isNotEqualTo(MessageIds.derived("m-1", "rule", "republish:out/b"));
        // the parts are separated, so moving text from one part to the next changes the id
        assertThat(MessageIds.derived("m-1", "ab", "c")).isNotEqualTo(MessageIds.derived("m-1", "a", "bc"));
    }

    @Test
    void idsAreUuids() {
        assertThat(UUID.fromString(MessageIds.derived("m", "r", "k"))).isNotNull();
        assertThat(UUID.fromString(MessageIds.ofRecordPosition("iot.messages", 0, 7))).isNotNull();
        assertThat(UUID.fromString(MessageIds.newEntryId())).isNotNull();
    }

    @Test
    void aRecordPositionIdDependsOnTopicPartitionAndOffset() {
        assertThat(MessageIds.ofRecordPosition("t", 0, 7)).isEqualTo(MessageIds.ofRecordPosition("t", 0, 7))
                .isNotEqualTo(MessageIds.ofRecordPosition("t", 1, 7))
                .isNotEqualTo(MessageIds.ofRecordPosition("t", 0, 8))
                .isNotEqualTo(MessageIds.ofRecordPosition("u", 0, 7));
    }
}
