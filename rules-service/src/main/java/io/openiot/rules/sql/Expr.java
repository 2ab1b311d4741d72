package io.openiot.rules.sql;

import java.util.List;

/**
 * The rules engine's own expression tree, translated from JSqlParser's AST. It is immutable and independent of the
 * parser, so that the evaluator (and later an optimiser or a topic-filter index) never sees JSqlParser types.
 */
public sealed interface Expr {

    /** A constant. */
    record Literal(Value value) implements Expr {
    }

    /** A path into the message payload, such as {@code a.b[0].c}. */
    record Field(List<PathStep> path) implements Expr {
        public Field {
            path = List.copyOf(path);
        }

        /** The key a SELECT item without alias gets: the last named step. */
        String outputKey() {
            for (int i = path.size() - 1; i >= 0; i--) {
                if (path.get(i) instanceof PathStep.Key key) {
                    return key.name();
                }
            }
            return null;
        }
    }

    /** {@code *} used as a value, e.g. {@code encode(*, 'base64')}: the whole payload. */
    record WholePayload() implements Expr {
    }

    record Comparison(ComparisonOperator operator, Expr left, Expr right) implements Expr {
    }

    record And(Expr left, Expr right) implements Expr {
    }

    record Or(Expr left, Expr right) implements Expr {
    }

    record Not(Expr operand) implements Expr {
    }

    record Arithmetic(ArithmeticOperator operator, Expr left, Expr right) implements Expr {
    }

    record Negate(Expr operand) implements Expr {
    }

    /**
     * A call of a built-in function; {@code name} is lower case, {@code function} its definition, resolved once when
     * the statement is translated rather than on every evaluation.
     */
    record Call(String name, Functions.SqlFunction function, List<Expr> arguments) implements Expr {
        public Call {
            arguments = List.copyOf(arguments);
        }
    }

    /** One step of a {@link Field} path. */
    sealed interface PathStep {
        record Key(String name) implements PathStep {
        }

        record Index(int index) implements PathStep {
        }
    }

    enum ComparisonOperator {
        EQUAL, NOT_EQUAL, LESS, LESS_OR_EQUAL, GREATER, GREATER_OR_EQUAL
    }

    enum ArithmeticOperator {
        ADD, SUBTRACT, MULTIPLY, DIVIDE, MODULO
    }
}
