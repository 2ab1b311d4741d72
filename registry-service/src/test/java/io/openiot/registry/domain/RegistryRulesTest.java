package io.openiot.registry.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryRulesTest {

    @ParameterizedTest(name = "thing name \"{0}\" valid: {1}")
    @CsvSource({"lamp-1, true", "a:b_c-D9, true", "'', false", "with space, false", "slash/no, false",
            "dot.no, false", "é, false"})
    void thingNamesFollowAwsPattern(String name, boolean valid) {
        if (valid) {
            assertThatCode(() -> RegistryRules.thingName(name)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> RegistryRules.thingName(name)).isInstanceOf(RegistryValidationException.class);
        }
    }

    @Test
    void namesAreAtMost128Characters() {
        assertThatCode(() -> RegistryRules.thingGroupName("g".repeat(128))).doesNotThrowAnyException();
        assertThatThrownBy(() -> RegistryRules.thingTypeName("t".repeat(129)))
                .isInstanceOf(RegistryValidationException.class);
    }

    @ParameterizedTest(name = "attribute {0}={1} valid: {2}")
    @CsvSource({"floor, 2, true", "a.b@c/d:e#f, x=[1]-2, true", "name, '', true", "bad name, v, false",
            "k, white space, false", "k, quote\", false", "'', v, false"})
    void attributesFollowAwsPatterns(String name, String value, boolean valid) {
        Map<String, String> attributes = Map.of(name, value);
        if (valid) {
            assertThatCode(() -> RegistryRules.attributes(attributes)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> RegistryRules.attributes(attributes))
                    .isInstanceOf(RegistryValidationException.class);
        }
    }

    @Test
    void attributeValuesAreAtMost800Characters() {
        assertThatCode(() -> RegistryRules.attributes(Map.of("k", "v".repeat(800)))).doesNotThrowAnyException();
        assertThatThrownBy(() -> RegistryRules.attributes(Map.of("k", "v".repeat(801))))
                .isInstanceOf(RegistryValidationException.class);
    }

    @ParameterizedTest(name = "{0} attributes, typed {1}: valid {2}")
    @CsvSource({"3, false, true", "4, false, false", "50, true, true", "51, true, false"})
    void aThingHasThreeAttributesWithoutATypeAndFiftyWithOne(int count, boolean typed, boolean valid) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            attributes.put("a" + i, "v");
        }
        if (valid) {
            assertThatCode(() -> RegistryRules.thingAttributeCount(attributes, typed)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> RegistryRules.thingAttributeCount(attributes, typed))
                    .isInstanceOf(RegistryValidationException.class);
        }
    }

    @Test
    void mergeAddsReplacesAndRemovesByEmptyValueWhileReplaceStartsOver() {
        Map<String, String> current = Map.of("a", "1", "b", "2");
        Map<String, String> given = Map.of("b", "", "c", "3");

        assertThat(RegistryRules.applyAttributes(current, given, true)).isEqualTo(Map.of("a", "1", "c", "3"));
        assertThat(RegistryRules.applyAttributes(current, given, false)).isEqualTo(Map.of("c", "3"));
    }

    @Test
    void pageTokensRoundTripAndRejectForgeriesAndOutOfRangeSizes() {
        assertThat(PageToken.decode(PageToken.encode("lamp-7"))).isEqualTo("lamp-7");
        assertThat(PageToken.decode(null)).isNull();
        assertThatThrownBy(() -> PageToken.decode("bm90LW91cnM")).isInstanceOf(RegistryValidationException.class);
        assertThatThrownBy(() -> PageToken.decode("%%%")).isInstanceOf(RegistryValidationException.class);
        assertThat(PageToken.pageSize(null, 50)).isEqualTo(50);
        assertThat(PageToken.pageSize(250, 50)).isEqualTo(250);
        assertThatThrownBy(() -> PageToken.pageSize(251, 50)).isInstanceOf(RegistryValidationException.class);
        assertThatThrownBy(() -> PageToken.pageSize(0, 50)).isInstanceOf(RegistryValidationException.class);
    }
}
