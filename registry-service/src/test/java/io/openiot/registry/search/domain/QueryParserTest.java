package io.openiot.registry.search.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.openiot.registry.domain.RegistryValidationException;
import io.openiot.registry.search.domain.Query.Field;
import io.openiot.registry.search.domain.Query.Field.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueryParserTest {

    private static final Field NAME = new Field(Kind.THING_NAME, null);
    private static final Field FLOOR = new Field(Kind.ATTRIBUTE, "floor");

    @Test
    void parsesFieldValuesPrefixesAndQuotedValues() {
        assertThat(QueryParser.parse("thingName:lamp-1")).isEqualTo(new Query.Match(NAME, "lamp-1", false));
        assertThat(QueryParser.parse("thingName:lamp*")).isEqualTo(new Query.Match(NAME, "lamp", true));
        assertThat(QueryParser.parse("attributes.floor:\"2 (east)\""))
                .isEqualTo(new Query.Match(FLOOR, "2 (east)", false));
        assertThat(QueryParser.parse("lamp")).isEqualTo(new Query.Match(NAME, "lamp", false));
    }

    @Test
    void defaultOperatorIsAndAndOrBindsLooser() {
        Query a = new Query.Match(new Field(Kind.THING_TYPE_NAME, null), "a", false);
        Query b = new Query.Match(new Field(Kind.THING_GROUP_NAMES, null), "b", false);
        Query c = new Query.Match(FLOOR, "c", false);

        assertThat(QueryParser.parse("thingTypeName:a thingGroupNames:b OR attributes.floor:c"))
                .isEqualTo(new Query.Or(List.of(new Query.And(List.of(a, b)), c)));
        assertThat(QueryParser.parse("thingTypeName:a AND (thingGroupNames:b OR attributes.floor:c)"))
                .isEqualTo(new Query.And(List.of(a, new Query.Or(List.of(b, c)))));
    }

    @Test
    void parsesNotAndMinusAsNegation() {
        Query lamp = new Query.Match(NAME, "lamp", false);
        assertThat(QueryParser.parse("NOT thingName:lamp")).isEqualTo(new Query.Not(lamp));
        assertThat(QueryParser.parse("-thingName:lamp")).isEqualTo(new Query.Not(lamp));
        assertThat(QueryParser.parse("attributes.floor:2 -thingName:lamp"))
                .isEqualTo(new Query.And(List.of(new Query.Match(FLOOR, "2", false), new Query.Not(lamp))));
    }

    @Test
    void parsesRangesWithInclusiveExclusiveOpenAndNegativeBounds() {
        assertThat(QueryParser.parse("attributes.floor:[1 TO 5]"))
                .isEqualTo(new Query.Range(FLOOR, "1", true, "5", true));
        assertThat(QueryParser.parse("attributes.floor:{-5 TO *]"))
                .isEqualTo(new Query.Range(FLOOR, "-5", false, null, true));
        assertThat(QueryParser.parse("attributes.floor>3")).isEqualTo(new Query.Range(FLOOR, "3", false, null, false));
        assertThat(QueryParser.parse("attributes.floor<=3")).isEqualTo(new Query.Range(FLOOR, null, false, "3", true));
        assertThat(QueryParser.parse("attributes.floor:>=3")).isEqualTo(new Query.Range(FLOOR, "3", true, null, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "thingName:", "(thingName:a", "thingName:*abc", "thingName:a*b", "color:red",
            "attributes.floor:[1 5]", "shadow.reported.temp:3", "thingName:\"open", "attributes.bad name:x",
            "thingName:a)"})
    void rejectsWhatAwsQuerySyntaxDoesNotAllow(String query) {
        assertThatThrownBy(() -> QueryParser.parse(query)).isInstanceOf(RegistryValidationException.class);
    }
}
