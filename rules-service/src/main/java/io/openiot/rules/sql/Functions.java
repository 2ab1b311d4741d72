package io.openiot.rules.sql;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The built-in SQL functions by lower-case name. A call with the wrong number of arguments is rejected when the SQL is
 * parsed; a call with arguments of the wrong type returns Undefined, as AWS does. New functions of the 2016-03-23
 * dialect are added here.
 */
final class Functions {

    /** One function: its arity and what it computes. */
    record SqlFunction(int minArguments, int maxArguments, Implementation implementation) {
    }

    @FunctionalInterface
    interface Implementation {
        Value apply(List<Value> arguments, MessageContext context);
    }

    private static final Map<String, SqlFunction> FUNCTIONS = Map.of(
            "topic", new SqlFunction(0, 1, Functions::topic),
            "clientid", new SqlFunction(0, 0, (args, ctx) -> Value.of(ctx.clientId() == null ? "n/a" : ctx.clientId())),
            "principal", new SqlFunction(0, 0, (args, ctx) -> Value.of(ctx.principal())),
            "timestamp", new SqlFunction(0, 0, (args, ctx) -> Value.of(ctx.now())),
            "traceid", new SqlFunction(0, 0, (args, ctx) -> Value.of(ctx.traceId())),
            "newuuid", new SqlFunction(0, 0, (args, ctx) -> Value.of(UUID.randomUUID().toString())),
            "isnull", new SqlFunction(1, 1, (args, ctx) -> Value.of(args.get(0) instanceof Value.Null)),
            "isundefined", new SqlFunction(1, 1, (args, ctx) -> Value.of(args.get(0).isUndefined())),
            "lower", new SqlFunction(1, 1, (args, ctx) -> caseOf(args.get(0), false)),
            "upper", new SqlFunction(1, 1, (args, ctx) -> caseOf(args.get(0), true)));

    private Functions() {
    }

    static SqlFunction find(String name) {
        return FUNCTIONS.get(name.toLowerCase(Locale.ROOT));
    }

    /** {@code topic()} is the whole topic, {@code topic(n)} its n-th level counted from 1. */
    private static Value topic(List<Value> arguments, MessageContext context) {
        if (arguments.isEmpty()) {
            return Value.of(context.topic());
        }
        BigDecimal n = Operators.toDecimal(arguments.get(0));
        if (n == null || n.stripTrailingZeros().scale() > 0) {
            return Value.UNDEFINED;
        }
        String[] levels = context.topic().split("/", -1);
        int index;
        try {
            index = n.intValueExact();
        } catch (ArithmeticException e) {
            return Value.UNDEFINED;
        }
        return index >= 1 && index <= levels.length ? Value.of(levels[index - 1]) : Value.UNDEFINED;
    }

    private static Value caseOf(Value value, boolean upper) {
        if (value.isUndefined()) {
            return Value.UNDEFINED;
        }
        String text = Operators.text(value);
        return Value.of(upper ? text.toUpperCase(Locale.ROOT) : text.toLowerCase(Locale.ROOT));
    }
}
