package io.openiot.policy.thing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StateOrderTest {

    @Test
    void anythingSupersedesNothing() {
        assertThat(new StateOrder("a", 1, 10).supersedes(null)).isTrue();
    }

    @Test
    void aHigherVersionOfTheSameThingWinsWhateverItsTime() {
        assertThat(new StateOrder("a", 3, 10).supersedes(new StateOrder("a", 2, 20))).isTrue();
        assertThat(new StateOrder("a", 2, 20).supersedes(new StateOrder("a", 3, 10))).isFalse();
    }

    @Test
    void theSameVersionIsOrderedByCommitTime() {
        assertThat(new StateOrder("a", 2, 21).supersedes(new StateOrder("a", 2, 20))).isTrue();
        assertThat(new StateOrder("a", 2, 20).supersedes(new StateOrder("a", 2, 20))).isTrue();
        assertThat(new StateOrder("a", 2, 19).supersedes(new StateOrder("a", 2, 20))).isFalse();
    }

    @Test
    void aRecreatedThingIsOrderedByCommitTimeAlone() {
        assertThat(new StateOrder("b", 1, 30).supersedes(new StateOrder("a", 5, 20))).isTrue();
        assertThat(new StateOrder("a", 4, 15).supersedes(new StateOrder("b", 1, 30))).isFalse();
    }
}
