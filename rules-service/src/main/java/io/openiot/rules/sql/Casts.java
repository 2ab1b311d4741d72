package io.openiot.rules.sql;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** {@code cast(x AS type)} as the AWS IoT SQL reference's conversion tables have it. */
final class Casts {

    private Casts() {
    }

    static Value cast(Value value, Expr.CastType type) {
        if (value.isUndefined()) {
            return Value.UNDEFINED;
        }
        return switch (type) {
            case INT -> toInt(value);
            case DECIMAL -> toDecimal(value);
            case BOOLEAN -> toBoolean(value);
            case STRING -> value instanceof Value.Null ? Value.UNDEFINED : new Value.Str(Operators.text(value));
        };
    }

    /** Decimals round down; Booleans are 1 and 0; numeric Strings are parsed; Null stays Null. */
    static Value toInt(Value value) {
        if (value instanceof Value.Int || value instanceof Value.Null) {
            return value;
        }
        if (value instanceof Value.Bool b) {
            return Value.of(b.value() ? 1 : 0);
        }
        BigDecimal d = value instanceof Value.Str || value instanceof Value.Decimal ? Operators.toDecimal(value) : null;
        return d == null ? Value.UNDEFINED : new Value.Int(d.setScale(0, RoundingMode.FLOOR).toBigIntegerExact());
    }

    static Value toDecimal(Value value) {
        if (value instanceof Value.Decimal || value instanceof Value.Null) {
            return value;
        }
        if (value instanceof Value.Bool b) {
            return new Value.Decimal(b.value() ? BigDecimal.ONE : BigDecimal.ZERO);
        }
        BigDecimal d = value instanceof Value.Str || value instanceof Value.Int ? Operators.toDecimal(value) : null;
        return d == null ? Value.UNDEFINED : new Value.Decimal(d);
    }

    /** Numbers are true unless zero; Strings "true"/"false" in any case; Null and the rest are Undefined. */
    static Value toBoolean(Value value) {
        if (value instanceof Value.Bool) {
            return value;
        }
        if (value instanceof Value.Int || value instanceof Value.Decimal) {
            return Value.of(Operators.toDecimal(value).signum() != 0);
        }
        Boolean b = value instanceof Value.Str ? Operators.toBoolean(value) : null;
        return b == null ? Value.UNDEFINED : Value.of(b);
    }
}
