package io.openiot.shadow.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openiot.shadow.document.ShadowTopic.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShadowNamesAndTopicsTest {

    @Test
    void parsesClassicAndNamedRequestTopics() {
        assertThat(ShadowTopic.parse("$aws/things/lamp-1/shadow/update"))
                .contains(new ShadowTopic(ShadowName.classic("lamp-1"), Operation.UPDATE));
        assertThat(ShadowTopic.parse("$aws/things/lamp:1/shadow/name/cfg_2/get"))
                .contains(new ShadowTopic(new ShadowName("lamp:1", "cfg_2"), Operation.GET));
        assertThat(ShadowTopic.parse("$aws/things/lamp/shadow/name/cfg/delete"))
                .contains(new ShadowTopic(new ShadowName("lamp", "cfg"), Operation.DELETE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"$aws/things/lamp/shadow/update/accepted", "$aws/things/lamp/shadow/update/delta",
            "$aws/things/lamp/shadow/name/cfg/get/rejected", "$aws/things/lamp/shadow/list",
            "$aws/things/lamp/shadow/name//get", "$aws/things/la mp/shadow/get", "things/lamp/shadow/get",
            "$aws/things/lamp/jobs/get"})
    void ignoresEverythingButRequestTopics(String topic) {
        assertThat(ShadowTopic.parse(topic)).isEmpty();
    }

    @Test
    void namesTheResponseTopics() {
        ShadowName named = new ShadowName("lamp", "cfg");

        assertThat(ShadowTopic.accepted(named, Operation.UPDATE))
                .isEqualTo("$aws/things/lamp/shadow/name/cfg/update/accepted");
        assertThat(ShadowTopic.rejected(ShadowName.classic("lamp"), Operation.DELETE))
                .isEqualTo("$aws/things/lamp/shadow/delete/rejected");
        assertThat(ShadowTopic.delta(named)).isEqualTo("$aws/things/lamp/shadow/name/cfg/update/delta");
        assertThat(ShadowTopic.documents(ShadowName.classic("lamp")))
                .isEqualTo("$aws/things/lamp/shadow/update/documents");
    }

    @Test
    void validatesThingAndShadowNamesAsAws() {
        assertThat(new ShadowName("a".repeat(128), "b".repeat(64)).isClassic()).isFalse();
        assertThatThrownBy(() -> ShadowName.classic("a".repeat(129))).isInstanceOf(ShadowRejection.class);
        assertThatThrownBy(() -> new ShadowName("lamp", "b".repeat(65))).isInstanceOf(ShadowRejection.class);
        assertThatThrownBy(() -> ShadowName.classic("lamp/1")).isInstanceOf(ShadowRejection.class);
        assertThatThrownBy(() -> new ShadowName("lamp", "a b")).isInstanceOf(ShadowRejection.class);
        assertThatThrownBy(() -> ShadowName.classic("")).isInstanceOf(ShadowRejection.class);
    }

    @Test
    void shadowNamesStartingWithDollarAreReservedAndOnlyAwsOwnReservedNamesAreAccepted() {
        assertThat(new ShadowName("lamp", "$package").shadow()).isEqualTo("$package");
        assertThat(ShadowTopic.parse("$aws/things/lamp/shadow/name/$package/update"))
                .contains(new ShadowTopic(new ShadowName("lamp", "$package"), Operation.UPDATE));
        assertThat(new ShadowName("lamp", "cost$1").shadow()).isEqualTo("cost$1");

        assertThatThrownBy(() -> new ShadowName("lamp", "$mine")).isInstanceOf(ShadowRejection.class)
                .hasMessage("Invalid shadow name").extracting(e -> ((ShadowRejection) e).code()).isEqualTo(400);
        assertThatThrownBy(() -> new ShadowName("lamp", "$")).isInstanceOf(ShadowRejection.class);
        assertThat(ShadowTopic.parse("$aws/things/lamp/shadow/name/$mine/update")).isEmpty();
        assertThatThrownBy(() -> ShadowName.classic("$lamp")).isInstanceOf(ShadowRejection.class);
    }
}
