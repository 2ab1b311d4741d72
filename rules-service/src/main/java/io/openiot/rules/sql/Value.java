package io.openiot.rules.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value of the AWS IoT SQL type system: Int, Decimal, String, Boolean, Array, Object, Null and Undefined. Undefined
 * is what a missing field, a failed conversion or a bad function call produce; it is never written into output objects.
 */
public sealed interface Value {

    Value NULL = new Null();
    Value UNDEFINED = new Undefined();
    Value TRUE = new Bool(true);
    Value FALSE = new Bool(false);

    static Value of(boolean b) {
        return b ? TRUE : FALSE;
    }

    static Value of(long n) {
        return new Int(BigInteger.valueOf(n));
    }

    static Value of(String s) {
        return s == null ? UNDEFINED : new Str(s);
    }

    default boolean isUndefined() {
        return this instanceof Undefined;
    }

    /** Whole number; AWS keeps 34 significant digits, BigInteger keeps all. */
    record Int(BigInteger value) implements Value {
    }

    /** Decimal number, computed with 34 digits of precision (IEEE 754 decimal128). */
    record Decimal(BigDecimal value) implements Value {
    }

    record Str(String value) implements Value {
    }

    record Bool(boolean value) implements Value {
    }

    record Array(List<Value> elements) implements Value {
        public Array {
            elements = List.copyOf(elements);
        }
    }

    /** A JSON object; keys keep their order. */
    record Obj(Map<String, Value> fields) implements Value {
        public Obj {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    record Null() implements Value {
    }

    record Undefined() implements Value {
    }
}
