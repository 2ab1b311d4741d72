package io.openiot.rules.sql;

import java.util.List;

/**
 * The rules engine's own expression tree, translated from JSqlParser's AST. It is immutable and independent of the
 * parser, so that the evaluator (and later an optimiser or a topic-filter index) never sees JSqlParser types.
 */
public sealed interface Expr {

    /** Dispatch to {@code visitor}; every node must have its method, so a new node cannot go unevaluated. */
    <R, C> R accept(Visitor<R, C> visitor, C context);

    /** One method per node of the tree. */
    interface Visitor<R, C> {
        R visitLiteral(Literal e, C context);

        R visitField(Field e, C context);

        R visitWholePayload(WholePayload e, C context);

        R visitComparison(Comparison e, C context);

        R visitAnd(And e, C context);

        R visitOr(Or e, C context);

        R visitNot(Not e, C context);

        R visitArithmetic(Arithmetic e, C context);

        R visitNegate(Negate e, C context);

        R visitCall(Call e, C context);

        R visitAccess(Access e, C context);

        R visitArrayLiteral(ArrayLiteral e, C context);

        R visitObjectLiteral(ObjectLiteral e, C context);

        R visitCase(Case e, C context);

        R visitIn(In e, C context);

        R visitBetween(Between e, C context);

        R visitLike(Like e, C context);

        R visitIsNull(IsNull e, C context);

        R visitIsUndefined(IsUndefined e, C context);

        R visitCast(Cast e, C context);

        R visitSubquery(Subquery e, C context);

        R visitCurrentRoot(CurrentRoot e, C context);
    }


    /** A constant. */
    record Literal(Value value) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitLiteral(this, context);
        }

    }

    /** A path into the message payload, such as {@code a.b[0].c}. */
    record Field(List<PathStep> path) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitField(this, context);
        }

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
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitWholePayload(this, context);
        }

    }

    record Comparison(ComparisonOperator operator, Expr left, Expr right) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitComparison(this, context);
        }

    }

    record And(Expr left, Expr right) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitAnd(this, context);
        }

    }

    record Or(Expr left, Expr right) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitOr(this, context);
        }

    }

    record Not(Expr operand) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitNot(this, context);
        }

    }

    record Arithmetic(ArithmeticOperator operator, Expr left, Expr right) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitArithmetic(this, context);
        }

    }

    record Negate(Expr operand) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitNegate(this, context);
        }

    }

    /**
     * A call of a built-in function; {@code name} is lower case, {@code function} its definition, resolved once when
     * the statement is translated rather than on every evaluation.
     */
    record Call(String name, Functions.SqlFunction function, List<Expr> arguments) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitCall(this, context);
        }

        public Call {
            arguments = List.copyOf(arguments);
        }
    }

    /** A step into a computed value, such as {@code get(x, 0).v} or {@code (a).b[1]}. */
    record Access(Expr target, PathStep step) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitAccess(this, context);
        }

    }

    /** {@code [a, b]}. */
    record ArrayLiteral(List<Expr> elements) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitArrayLiteral(this, context);
        }

        public ArrayLiteral {
            elements = List.copyOf(elements);
        }
    }

    /** {@code {'k': v, ...}}; keys keep their order. */
    record ObjectLiteral(List<Member> members) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitObjectLiteral(this, context);
        }

        public ObjectLiteral {
            members = List.copyOf(members);
        }

        public record Member(String key, Expr value) {
        }
    }

    /** {@code CASE [operand] WHEN .. THEN .. [ELSE ..] END}; {@code operand} is null for a searched CASE. */
    record Case(Expr operand, List<When> whens, Expr otherwise) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitCase(this, context);
        }

        public Case {
            whens = List.copyOf(whens);
        }

        public record When(Expr when, Expr then) {
        }
    }

    /** {@code x [NOT] IN (a, b)} ({@code candidates}) or {@code x [NOT] IN arrayExpr} ({@code array}). */
    record In(Expr value, List<Expr> candidates, Expr array, boolean negated) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitIn(this, context);
        }

        public In {
            candidates = candidates == null ? null : List.copyOf(candidates);
        }
    }

    record Between(Expr value, Expr low, Expr high, boolean negated) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitBetween(this, context);
        }

    }

    /** {@code x [NOT] LIKE pattern}: {@code %} any run of characters, {@code _} one character. */
    record Like(Expr value, Expr pattern, Expr escape, boolean negated) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitLike(this, context);
        }

    }

    record IsNull(Expr operand, boolean negated) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitIsNull(this, context);
        }

    }

    record IsUndefined(Expr operand, boolean negated) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitIsUndefined(this, context);
        }

    }

    record Cast(Expr operand, CastType type) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitCast(this, context);
        }

    }

    /**
     * A nested {@code (SELECT ... FROM <field> [WHERE ...])} over an array: each element in turn is the root its
     * items and WHERE see; the result is the array of what the elements that pass WHERE produce.
     */
    record Subquery(List<RuleQuery.SelectItem> items, boolean selectValue, Expr from, Expr where) implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitSubquery(this, context);
        }

        public Subquery {
            items = List.copyOf(items);
        }
    }

    /** The root the current (possibly nested) SELECT sees: the payload, or one element of a nested query. */
    record CurrentRoot() implements Expr {
        @Override
        public <R, C> R accept(Visitor<R, C> visitor, C context) {
            return visitor.visitCurrentRoot(this, context);
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

    enum CastType {
        INT, DECIMAL, BOOLEAN, STRING
    }
}
