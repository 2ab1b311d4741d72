package io.openiot.rules.sql;

import java.util.ArrayList;
import java.util.List;

/** Evaluates an {@link Expr} against one message with AWS IoT SQL semantics. Never throws for any payload. */
public final class Evaluator {

    private Evaluator() {
    }

    public static Value evaluate(Expr expr, MessageContext context) {
        if (expr instanceof Expr.Literal literal) {
            return literal.value();
        }
        if (expr instanceof Expr.Field field) {
            return resolve(field, context.payload().root());
        }
        if (expr instanceof Expr.WholePayload) {
            return context.payload().root();
        }
        if (expr instanceof Expr.Comparison c) {
            return Operators.compare(c.operator(), evaluate(c.left(), context), evaluate(c.right(), context));
        }
        if (expr instanceof Expr.And and) {
            return Operators.and(evaluate(and.left(), context), evaluate(and.right(), context));
        }
        if (expr instanceof Expr.Or or) {
            return Operators.or(evaluate(or.left(), context), evaluate(or.right(), context));
        }
        if (expr instanceof Expr.Not not) {
            return Operators.not(evaluate(not.operand(), context));
        }
        if (expr instanceof Expr.Arithmetic a) {
            return Operators.arithmetic(a.operator(), evaluate(a.left(), context), evaluate(a.right(), context));
        }
        if (expr instanceof Expr.Negate negate) {
            return Operators.negate(evaluate(negate.operand(), context));
        }
        if (expr instanceof Expr.Call call) {
            List<Value> arguments = new ArrayList<>(call.arguments().size());
            for (Expr argument : call.arguments()) {
                arguments.add(evaluate(argument, context));
            }
            return call.function().implementation().apply(arguments, context);
        }
        throw new IllegalStateException("unknown expression " + expr.getClass().getSimpleName());
    }

    private static Value resolve(Expr.Field field, Value root) {
        Value current = root;
        for (Expr.PathStep step : field.path()) {
            if (step instanceof Expr.PathStep.Key key && current instanceof Value.Obj object) {
                current = object.fields().getOrDefault(key.name(), Value.UNDEFINED);
            } else if (step instanceof Expr.PathStep.Index index && current instanceof Value.Array array) {
                int i = index.index();
                current = i >= 0 && i < array.elements().size() ? array.elements().get(i) : Value.UNDEFINED;
            } else {
                return Value.UNDEFINED;
            }
        }
        return current;
    }
}
