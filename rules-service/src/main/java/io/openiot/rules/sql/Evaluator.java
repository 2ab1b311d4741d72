package io.openiot.rules.sql;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Evaluates an {@link Expr} against one message with AWS IoT SQL semantics. Never throws for any payload. */
public final class Evaluator {

    private Evaluator() {
    }

    public static Value evaluate(Expr expr, MessageContext context) {
        return evaluate(expr, context, context.payload().root());
    }

    /** Evaluates with {@code root} as what field names refer to: the payload, or an element of a nested query. */
    static Value evaluate(Expr expr, MessageContext context, Value root) {
        return expr.accept(VISITOR, new Scope(context, root));
    }

    private record Scope(MessageContext context, Value root) {
    }

    private static Value eval(Expr expr, Scope scope) {
        return expr.accept(VISITOR, scope);
    }

    private static final Expr.Visitor<Value, Scope> VISITOR = new Expr.Visitor<>() {
        @Override
        public Value visitLiteral(Expr.Literal e, Scope s) {
            return e.value();
        }

        @Override
        public Value visitField(Expr.Field e, Scope s) {
            return resolve(e.path(), s.root());
        }

        @Override
        public Value visitWholePayload(Expr.WholePayload e, Scope s) {
            return s.context().payload().root();
        }

        @Override
        public Value visitCurrentRoot(Expr.CurrentRoot e, Scope s) {
            return s.root();
        }

        @Override
        public Value visitAccess(Expr.Access e, Scope s) {
            return step(eval(e.target(), s), e.step());
        }

        @Override
        public Value visitComparison(Expr.Comparison e, Scope s) {
            return Operators.compare(e.operator(), eval(e.left(), s), eval(e.right(), s));
        }

        @Override
        public Value visitAnd(Expr.And e, Scope s) {
            return Operators.and(eval(e.left(), s), eval(e.right(), s));
        }

        @Override
        public Value visitOr(Expr.Or e, Scope s) {
            return Operators.or(eval(e.left(), s), eval(e.right(), s));
        }

        @Override
        public Value visitNot(Expr.Not e, Scope s) {
            return Operators.not(eval(e.operand(), s));
        }

        @Override
        public Value visitArithmetic(Expr.Arithmetic e, Scope s) {
            return Operators.normalise(Operators.arithmetic(e.operator(), eval(e.left(), s), eval(e.right(), s)),
                    s.context().sqlVersion());
        }

        @Override
        public Value visitNegate(Expr.Negate e, Scope s) {
            return Operators.negate(eval(e.operand(), s));
        }

        @Override
        public Value visitCall(Expr.Call e, Scope s) {
            return call(e, s.context(), s.root());
        }

        @Override
        public Value visitArrayLiteral(Expr.ArrayLiteral e, Scope s) {
            List<Value> elements = new ArrayList<>(e.elements().size());
            for (Expr element : e.elements()) {
                elements.add(eval(element, s));
            }
            return new Value.Array(elements);
        }

        @Override
        public Value visitObjectLiteral(Expr.ObjectLiteral e, Scope s) {
            Map<String, Value> fields = new LinkedHashMap<>();
            for (Expr.ObjectLiteral.Member member : e.members()) {
                Value value = eval(member.value(), s);
                if (!value.isUndefined()) {
                    fields.put(member.key(), value);
                }
            }
            return new Value.Obj(fields);
        }

        @Override
        public Value visitCase(Expr.Case e, Scope s) {
            return caseOf(e, s.context(), s.root());
        }

        @Override
        public Value visitIn(Expr.In e, Scope s) {
            return in(e, s.context(), s.root());
        }

        @Override
        public Value visitBetween(Expr.Between e, Scope s) {
            return Operators.between(eval(e.value(), s), eval(e.low(), s), eval(e.high(), s), e.negated());
        }

        @Override
        public Value visitLike(Expr.Like e, Scope s) {
            return Operators.like(eval(e.value(), s), eval(e.pattern(), s),
                    e.escape() == null ? null : eval(e.escape(), s), e.negated());
        }

        @Override
        public Value visitIsNull(Expr.IsNull e, Scope s) {
            return Value.of(eval(e.operand(), s) instanceof Value.Null != e.negated());
        }

        @Override
        public Value visitIsUndefined(Expr.IsUndefined e, Scope s) {
            return Value.of(eval(e.operand(), s).isUndefined() != e.negated());
        }

        @Override
        public Value visitCast(Expr.Cast e, Scope s) {
            return Casts.cast(eval(e.operand(), s), e.type());
        }

        @Override
        public Value visitSubquery(Expr.Subquery e, Scope s) {
            return subquery(e, s.context(), s.root());
        }
    };

    private static Value call(Expr.Call call, MessageContext context, Value root) {
        List<Expr> argumentExprs = call.arguments();
        // encode(*, 'base64') encodes the payload's bytes, JSON or not
        if (call.name().equals("encode") && argumentExprs.size() == 2
                && argumentExprs.get(0) instanceof Expr.WholePayload) {
            Value encoding = evaluate(argumentExprs.get(1), context, root);
            return encoding instanceof Value.Str s && s.value().equals("base64")
                    ? new Value.Str(Base64.getEncoder().encodeToString(context.payload().bytes()))
                    : Value.UNDEFINED;
        }
        List<Value> arguments = new ArrayList<>(argumentExprs.size());
        for (Expr argument : argumentExprs) {
            arguments.add(evaluate(argument, context, root));
        }
        try {
            return call.function().implementation().apply(arguments, context);
        } catch (LookupFailedException e) {
            // not the arguments' fault: the lookup could not be made, so the rule fails (its error action runs)
            throw e;
        } catch (RuntimeException e) {
            // a function given arguments it cannot use returns Undefined, as in AWS
            return Value.UNDEFINED;
        }
    }

    private static Value caseOf(Expr.Case c, MessageContext context, Value root) {
        if (c.operand() != null) {
            Value operand = evaluate(c.operand(), context, root);
            if (operand.isUndefined()) {
                return Value.UNDEFINED;
            }
            for (Expr.Case.When when : c.whens()) {
                Value candidate = evaluate(when.when(), context, root);
                if (!candidate.isUndefined() && Operators.equal(operand, candidate)) {
                    return evaluate(when.then(), context, root);
                }
            }
        } else {
            for (Expr.Case.When when : c.whens()) {
                if (evaluate(when.when(), context, root) instanceof Value.Bool b && b.value()) {
                    return evaluate(when.then(), context, root);
                }
            }
        }
        return c.otherwise() == null ? Value.UNDEFINED : evaluate(c.otherwise(), context, root);
    }

    private static Value in(Expr.In in, MessageContext context, Value root) {
        Value value = evaluate(in.value(), context, root);
        if (value.isUndefined()) {
            return Value.UNDEFINED;
        }
        List<Value> candidates;
        if (in.candidates() != null) {
            candidates = new ArrayList<>(in.candidates().size());
            for (Expr candidate : in.candidates()) {
                candidates.add(evaluate(candidate, context, root));
            }
        } else if (evaluate(in.array(), context, root) instanceof Value.Array array) {
            candidates = array.elements();
        } else {
            return Value.UNDEFINED;
        }
        for (Value candidate : candidates) {
            if (!candidate.isUndefined() && Operators.equal(value, candidate)) {
                return Value.of(!in.negated());
            }
        }
        return Value.of(in.negated());
    }

    private static Value subquery(Expr.Subquery subquery, MessageContext context, Value root) {
        if (!(evaluate(subquery.from(), context, root) instanceof Value.Array array)) {
            return Value.UNDEFINED;
        }
        List<Value> results = new ArrayList<>();
        for (Value element : array.elements()) {
            if (subquery.where() != null
                    && !(evaluate(subquery.where(), context, element) instanceof Value.Bool b && b.value())) {
                continue;
            }
            Value result = project(subquery.items(), subquery.selectValue(), context, element);
            if (!result.isUndefined()) {
                results.add(result);
            }
        }
        return new Value.Array(results);
    }

    /** A SELECT list over {@code root}: an object of its items, or with SELECT VALUE the one item's value. */
    static Value project(List<RuleQuery.SelectItem> items, boolean selectValue, MessageContext context, Value root) {
        if (selectValue) {
            return items.get(0) instanceof RuleQuery.SelectItem.Named named
                    ? literalOrValue(named.expression(), context, root) : root;
        }
        Map<String, Value> fields = new LinkedHashMap<>();
        for (RuleQuery.SelectItem item : items) {
            if (item instanceof RuleQuery.SelectItem.Named named) {
                Value value = literalOrValue(named.expression(), context, root);
                if (!value.isUndefined()) {
                    RuleQuery.put(fields, named.key(), value);
                }
            } else if (root instanceof Value.Obj object) {
                fields.putAll(object.fields());
            }
        }
        return new Value.Obj(fields);
    }

    /** 2016-03-23 writes a whole Decimal literal such as 10.0 as the Int 10 (operators do so in any case). */
    private static Value literalOrValue(Expr expression, MessageContext context, Value root) {
        Value value = evaluate(expression, context, root);
        return expression instanceof Expr.Literal ? Operators.normalise(value, context.sqlVersion()) : value;
    }

    private static Value resolve(List<Expr.PathStep> path, Value root) {
        Value current = root;
        for (int i = 0; i < path.size() && !current.isUndefined(); i++) {
            current = step(current, path.get(i));
        }
        return current;
    }

    private static Value step(Value current, Expr.PathStep step) {
        if (step instanceof Expr.PathStep.Key key) {
            return current instanceof Value.Obj object
                    ? object.fields().getOrDefault(key.name(), Value.UNDEFINED) : Value.UNDEFINED;
        }
        int i = ((Expr.PathStep.Index) step).index();
        return current instanceof Value.Array array && i >= 0 && i < array.elements().size()
                ? array.elements().get(i) : Value.UNDEFINED;
    }
}
