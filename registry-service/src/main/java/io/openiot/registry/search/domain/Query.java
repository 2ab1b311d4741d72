package io.openiot.registry.search.domain;

import java.util.List;

/** A parsed fleet-indexing query: a tree of boolean operators over field conditions. */
public sealed interface Query {

    record And(List<Query> operands) implements Query {
    }

    record Or(List<Query> operands) implements Query {
    }

    record Not(Query operand) implements Query {
    }

    /** {@code field:value}; {@code prefix} for {@code value*}. */
    record Match(Field field, String value, boolean prefix) implements Query {
    }

    /**
     * {@code field:[lower TO upper]} (inclusive), {@code {lower TO upper}} (exclusive), or {@code field>x} style
     * comparisons; a {@code null} bound is open.
     */
    record Range(Field field, String lower, boolean lowerInclusive, String upper, boolean upperInclusive)
            implements Query {
    }

    /**
     * A field of the index. Registry fields today; shadow and connectivity fields get their own kinds when those
     * indexes exist, and the parser already recognises their names to say so.
     */
    record Field(Kind kind, String attribute) {

        public enum Kind { THING_NAME, THING_ID, THING_TYPE_NAME, THING_GROUP_NAMES, ATTRIBUTE }
    }
}
