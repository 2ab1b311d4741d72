package io.openiot.rules.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** AWS IoT SQL operator semantics: implicit conversions, comparisons, boolean logic and arithmetic. */
final class Operators {

    /** A String converts to Decimal only when it looks like this (AWS SQL reference, "Conversions"). */
    private static final Pattern NUMERIC = Pattern.compile("^-?\\d+(\\.\\d+)?((?i)E-?\\d+)?$");
    private static final MathContext PRECISION = MathContext.DECIMAL128;

    private Operators() {
    }

    static Value compare(Expr.ComparisonOperator operator, Value left, Value right) {
        if (left.isUndefined() || right.isUndefined()) {
            return Value.UNDEFINED;
        }
        switch (operator) {
            case EQUAL:
                return Value.of(equal(left, right));
            case NOT_EQUAL:
                return Value.of(!equal(left, right));
            default:
                break;
        }
        BigDecimal l = toDecimal(left);
        BigDecimal r = toDecimal(right);
        if (l == null || r == null) {
            return Value.UNDEFINED;
        }
        int c = l.compareTo(r);
        return Value.of(switch (operator) {
            case LESS -> c < 0;
            case LESS_OR_EQUAL -> c <= 0;
            case GREATER -> c > 0;
            case GREATER_OR_EQUAL -> c >= 0;
            default -> throw new IllegalStateException(operator.name());
        });
    }

    /** {@code =}: numbers by value, arrays in order, objects regardless of key order; other type mismatches differ. */
    static boolean equal(Value left, Value right) {
        if (isNumber(left) && isNumber(right)) {
            return toDecimal(left).compareTo(toDecimal(right)) == 0;
        }
        if (left instanceof Value.Array a && right instanceof Value.Array b) {
            List<Value> x = a.elements();
            List<Value> y = b.elements();
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (left instanceof Value.Obj a && right instanceof Value.Obj b) {
            Map<String, Value> x = a.fields();
            Map<String, Value> y = b.fields();
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            return x.entrySet().stream().allMatch(e -> equal(e.getValue(), y.get(e.getKey())));
        }
        return left.equals(right);
    }

    static Value and(Value left, Value right) {
        Boolean l = toBoolean(left);
        Boolean r = toBoolean(right);
        return l == null || r == null ? Value.UNDEFINED : Value.of(l && r);
    }

    static Value or(Value left, Value right) {
        Boolean l = toBoolean(left);
        Boolean r = toBoolean(right);
        return l == null || r == null ? Value.UNDEFINED : Value.of(l || r);
    }

    static Value not(Value operand) {
        Boolean b = toBoolean(operand);
        return b == null ? Value.UNDEFINED : Value.of(!b);
    }

    static Value arithmetic(Expr.ArithmeticOperator operator, Value left, Value right) {
        if (left.isUndefined() || right.isUndefined()) {
            return Value.UNDEFINED;
        }
        if (operator == Expr.ArithmeticOperator.ADD
                && (left instanceof Value.Str || right instanceof Value.Str)) {
            return new Value.Str(text(left) + text(right));
        }
        if (left instanceof Value.Int a && right instanceof Value.Int b) {
            return integerArithmetic(operator, a.value(), b.value());
        }
        BigDecimal a = toDecimal(left);
        BigDecimal b = toDecimal(right);
        if (a == null || b == null) {
            return Value.UNDEFINED;
        }
        try {
            return new Value.Decimal(switch (operator) {
                case ADD -> a.add(b, PRECISION);
                case SUBTRACT -> a.subtract(b, PRECISION);
                case MULTIPLY -> a.multiply(b, PRECISION);
                case DIVIDE -> a.divide(b, PRECISION);
                case MODULO -> a.remainder(b, PRECISION);
            });
        } catch (ArithmeticException e) {
            return Value.UNDEFINED;
        }
    }

    /**
     * In 2016-03-23 a whole-number Decimal result is an Int ({@code 100 / 2.0} is {@code 50}); in 2015-10-08 it
     * stays a Decimal, printed without an exponent.
     */
    static Value normalise(Value value, SqlVersion version) {
        if (version.atLeast2016() && value instanceof Value.Decimal d) {
            BigDecimal stripped = d.value().stripTrailingZeros();
            if (stripped.scale() <= 0) {
                return new Value.Int(stripped.toBigIntegerExact());
            }
        }
        return value;
    }

    /** {@code low <= x <= high} with the ordering conversions of {@code <=}. */
    static Value between(Value value, Value low, Value high, boolean negated) {
        Value lower = compare(Expr.ComparisonOperator.GREATER_OR_EQUAL, value, low);
        Value upper = compare(Expr.ComparisonOperator.LESS_OR_EQUAL, value, high);
        Value both = and(lower, upper);
        return negated ? not(both) : both;
    }

    /** SQL LIKE over Strings: {@code %} any run, {@code _} one character; anything else is Undefined. */
    static Value like(Value value, Value pattern, Value escape, boolean negated) {
        if (!(value instanceof Value.Str text) || !(pattern instanceof Value.Str p)) {
            return Value.UNDEFINED;
        }
        Character escapeChar = null;
        if (escape != null) {
            if (!(escape instanceof Value.Str e) || e.value().length() != 1) {
                return Value.UNDEFINED;
            }
            escapeChar = e.value().charAt(0);
        }
        StringBuilder regex = new StringBuilder();
        String source = p.value();
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (escapeChar != null && c == escapeChar && i + 1 < source.length()) {
                regex.append(Pattern.quote(String.valueOf(source.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        boolean matches = Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(text.value()).matches();
        return Value.of(matches != negated);
    }

    static Value negate(Value operand) {
        if (operand instanceof Value.Int i) {
            return new Value.Int(i.value().negate());
        }
        BigDecimal d = toDecimal(operand);
        return d == null ? Value.UNDEFINED : new Value.Decimal(d.negate());
    }

    private static Value integerArithmetic(Expr.ArithmeticOperator operator, BigInteger a, BigInteger b) {
        if ((operator == Expr.ArithmeticOperator.DIVIDE || operator == Expr.ArithmeticOperator.MODULO)
                && b.signum() == 0) {
            return Value.UNDEFINED;
        }
        return new Value.Int(switch (operator) {
            case ADD -> a.add(b);
            case SUBTRACT -> a.subtract(b);
            case MULTIPLY -> a.multiply(b);
            case DIVIDE -> a.divide(b);
            case MODULO -> a.remainder(b);
        });
    }

    static boolean isNumber(Value value) {
        return value instanceof Value.Int || value instanceof Value.Decimal;
    }

    /** Int and Decimal as they are, a numeric-looking String parsed; anything else has no Decimal form. */
    static BigDecimal toDecimal(Value value) {
        if (value instanceof Value.Int i) {
            return new BigDecimal(i.value());
        }
        if (value instanceof Value.Decimal d) {
            return d.value();
        }
        if (value instanceof Value.Str s && NUMERIC.matcher(s.value()).matches()) {
            return new BigDecimal(s.value(), PRECISION);
        }
        return null;
    }

    /** Booleans, and the Strings "true" / "false" (any case); anything else has no Boolean form. */
    static Boolean toBoolean(Value value) {
        if (value instanceof Value.Bool b) {
            return b.value();
        }
        if (value instanceof Value.Str s) {
            if (s.value().equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (s.value().equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
        }
        return null;
    }

    /** How a value reads as text: Strings as they are, Undefined as nothing, the rest as JSON. */
    static String text(Value value) {
        if (value instanceof Value.Str s) {
            return s.value();
        }
        if (value.isUndefined()) {
            return "";
        }
        if (value instanceof Value.Decimal d) {
            return d.value().toPlainString();
        }
        return JsonValues.toText(value);
    }
}
