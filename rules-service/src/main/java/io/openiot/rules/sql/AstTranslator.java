package io.openiot.rules.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.expression.ArrayConstructor;
import net.sf.jsqlparser.expression.ArrayExpression;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.StructType;
import net.sf.jsqlparser.expression.TrimFunction;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.IsUnknownExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.RowGetExpression;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * Translates JSqlParser's AST into {@link RuleQuery} and {@link Expr}. Whatever it does not know yet is rejected
 * with a {@link SqlParseException} that points at it, never silently dropped.
 */
final class AstTranslator {

    private final String source;
    private final SqlVersion version;
    /** How many nested SELECTs enclose the expression being translated; {@code *} there is the element. */
    private int nesting;
    /** get_thing_shadow and get_dynamodb calls seen: the query gets a cache, and AWS allows one get_dynamodb. */
    private int externalCalls;
    private int dynamoDbCalls;

    AstTranslator(String source) {
        this(source, SqlVersion.V2016_03_23);
    }

    AstTranslator(String source, SqlVersion version) {
        this.source = source;
        this.version = version;
    }

    RuleQuery query(Statement statement) {
        if (!(statement instanceof PlainSelect select)) {
            throw unsupported("only a single SELECT statement is supported", firstWord(statement));
        }
        rejectClauses(select);
        TopicFilter from = select.getFromItem() == null ? null : from(select.getFromItem());
        boolean selectValue = selectValue(select);
        List<RuleQuery.SelectItem> items = selectItems(select, selectValue);
        Expr where = select.getWhere() == null ? null : expression(select.getWhere());
        return new RuleQuery(source, from, items, where, selectValue, version, externalCalls > 0);
    }

    private boolean selectValue(PlainSelect select) {
        PlainSelect.BigQuerySelectQualifier qualifier = select.getBigQuerySelectQualifier();
        if (qualifier == null) {
            return false;
        }
        if (qualifier != PlainSelect.BigQuerySelectQualifier.AS_VALUE) {
            throw unsupported("SELECT AS is not AWS IoT SQL", "SELECT");
        }
        if (select.getSelectItems().size() != 1) {
            throw unsupported("SELECT VALUE takes exactly one expression", "VALUE");
        }
        return true;
    }

    private List<RuleQuery.SelectItem> selectItems(PlainSelect select, boolean selectValue) {
        List<RuleQuery.SelectItem> items = new ArrayList<>();
        List<SelectItem<?>> selectItems = select.getSelectItems();
        for (int i = 0; i < selectItems.size(); i++) {
            RuleQuery.SelectItem item = selectItem(selectItems.get(i), i);
            if (selectValue && item instanceof RuleQuery.SelectItem.Named named
                    && selectItems.get(i).getAlias() != null) {
                throw unsupported("SELECT VALUE takes no alias", "VALUE");
            }
            items.add(item);
        }
        return items;
    }

    private void rejectClauses(PlainSelect select) {
        reject(select.getWithItemsList() != null, "WITH", "WITH");
        reject(select.getDistinct() != null, "DISTINCT", "DISTINCT");
        reject(select.getTop() != null, "TOP", "TOP");
        reject(select.getIntoTables() != null, "INTO", "INTO");
        reject(select.getJoins() != null && !select.getJoins().isEmpty(), "JOIN", "JOIN");
        reject(select.getGroupBy() != null, "GROUP BY", "GROUP");
        reject(select.getHaving() != null, "HAVING", "HAVING");
        reject(select.getQualify() != null, "QUALIFY", "QUALIFY");
        reject(select.getWindowDefinitions() != null && !select.getWindowDefinitions().isEmpty(), "WINDOW", "WINDOW");
        reject(select.getOrderByElements() != null, "ORDER BY", "ORDER");
        reject(select.getLimit() != null, "LIMIT", "LIMIT");
        reject(select.getOffset() != null, "OFFSET", "OFFSET");
        reject(select.getFetch() != null, "FETCH", "FETCH");
    }

    private void reject(boolean present, String clause, String keyword) {
        if (present) {
            throw unsupported(clause + " is not supported in a rule", keyword);
        }
    }

    private TopicFilter from(FromItem fromItem) {
        if (fromItem == null) {
            throw unsupported("FROM '<topic filter>' is required", "SELECT");
        }
        if (!(fromItem instanceof Table table) || table.getAlias() != null) {
            throw unsupported("FROM must name one topic filter in single quotes", "FROM");
        }
        String name = table.getFullyQualifiedName();
        if (name.length() < 2 || !name.startsWith("'") || !name.endsWith("'")) {
            throw unsupported("the topic filter must be in single quotes: FROM '" + name + "'", name);
        }
        String filter = name.substring(1, name.length() - 1);
        try {
            return TopicFilter.parse(filter);
        } catch (IllegalArgumentException e) {
            throw unsupported("invalid topic filter '" + filter + "': " + e.getMessage(), name);
        }
    }

    private RuleQuery.SelectItem selectItem(SelectItem<?> item, int index) {
        Expression expression = item.getExpression();
        if (expression instanceof AllColumns && !(expression instanceof AllTableColumns)) {
            if (item.getAlias() != null) {
                throw unsupported("* cannot have an alias", "*");
            }
            return new RuleQuery.SelectItem.AllFields();
        }
        Expr expr = expression(expression);
        String key;
        if (item.getAlias() != null) {
            key = unquote(item.getAlias().getName());
        } else if (expr instanceof Expr.Field field && field.outputKey() != null) {
            key = field.outputKey();
        } else if (expr instanceof Expr.Call call) {
            key = call.name();
        } else {
            key = "_" + (index + 1);
        }
        return new RuleQuery.SelectItem.Named(expr, key);
    }

    Expr expression(Expression e) {
        if (e instanceof ParenthesedExpressionList<?> list) {
            if (list.size() != 1) {
                throw unsupported("row values are not supported", list.toString());
            }
            return expression(list.get(0));
        }
        if (e instanceof AndExpression and) {
            return new Expr.And(expression(and.getLeftExpression()), expression(and.getRightExpression()));
        }
        if (e instanceof OrExpression or) {
            return new Expr.Or(expression(or.getLeftExpression()), expression(or.getRightExpression()));
        }
        if (e instanceof NotExpression not) {
            return new Expr.Not(expression(not.getExpression()));
        }
        Expr.ComparisonOperator comparison = comparison(e);
        if (comparison != null) {
            BinaryExpression b = (BinaryExpression) e;
            return new Expr.Comparison(comparison, expression(b.getLeftExpression()),
                    expression(b.getRightExpression()));
        }
        Expr.ArithmeticOperator arithmetic = arithmetic(e);
        if (arithmetic != null) {
            BinaryExpression b = (BinaryExpression) e;
            return new Expr.Arithmetic(arithmetic, expression(b.getLeftExpression()),
                    expression(b.getRightExpression()));
        }
        if (e instanceof SignedExpression signed) {
            Expr operand = expression(signed.getExpression());
            return switch (signed.getSign()) {
                case '-' -> negativeLiteral(operand);
                case '+' -> operand;
                default -> throw unsupported("operator " + signed.getSign() + " is not supported", e.toString());
            };
        }
        if (e instanceof LongValue l) {
            return new Expr.Literal(new Value.Int(l.getBigIntegerValue()));
        }
        if (e instanceof DoubleValue d) {
            return new Expr.Literal(new Value.Decimal(new BigDecimal(d.toString())));
        }
        if (e instanceof StringValue s) {
            String quote = s.getQuoteStr() == null || s.getQuoteStr().isEmpty() ? "'" : s.getQuoteStr();
            return new Expr.Literal(new Value.Str(s.getValue().replace(quote + quote, quote)));
        }
        if (e instanceof BooleanValue b) {
            return new Expr.Literal(Value.of(b.getValue()));
        }
        if (e instanceof NullValue) {
            return new Expr.Literal(Value.NULL);
        }
        if (e instanceof Column column) {
            return column(column);
        }
        if (e instanceof RowGetExpression rowGet) {
            Expr inner = expression(rowGet.getExpression());
            Expr result = inner;
            for (Expr.PathStep step : pathOf(rowGet.getColumnName(), e.toString())) {
                result = access(result, step);
            }
            return result;
        }
        if (e instanceof AllColumns all && !(all instanceof AllTableColumns)) {
            return nesting > 0 ? new Expr.CurrentRoot() : new Expr.WholePayload();
        }
        if (e instanceof Function f) {
            return function(f);
        }
        if (e instanceof ArrayExpression array) {
            Expr target = expression(array.getObjExpression());
            if (array.getIndexExpression() instanceof LongValue index && array.getStartIndexExpression() == null) {
                return access(target, new Expr.PathStep.Index(index.getBigIntegerValue().min(
                        BigInteger.valueOf(Integer.MAX_VALUE)).intValue()));
            }
            if (array.getIndexExpression() == null) {
                throw unsupported("array slices are not supported", e.toString());
            }
            return new Expr.Call("get", Functions.find("get"), List.of(target, expression(array.getIndexExpression())));
        }
        if (e instanceof ArrayConstructor array) {
            requires2016("array literals", "[");
            List<Expr> elements = new ArrayList<>();
            if (array.getExpressions() != null) {
                for (Expression element : array.getExpressions()) {
                    elements.add(expression(element));
                }
            }
            return new Expr.ArrayLiteral(elements);
        }
        if (e instanceof StructType struct) {
            requires2016("object literals", "{");
            if (struct.getArguments() == null || struct.getKeyword() != null && !struct.getKeyword().isEmpty()) {
                throw unsupported("\"" + e + "\" is not an object literal", e.toString());
            }
            List<Expr.ObjectLiteral.Member> members = new ArrayList<>();
            for (SelectItem<?> member : struct.getArguments()) {
                if (member.getAlias() == null) {
                    throw unsupported("an object literal needs 'key': value", "{");
                }
                members.add(new Expr.ObjectLiteral.Member(unquote(member.getAlias().getName()),
                        expression(member.getExpression())));
            }
            return new Expr.ObjectLiteral(members);
        }
        if (e instanceof CaseExpression c) {
            List<Expr.Case.When> whens = new ArrayList<>();
            for (WhenClause when : c.getWhenClauses()) {
                whens.add(new Expr.Case.When(expression(when.getWhenExpression()), expression(when.getThenExpression())));
            }
            return new Expr.Case(c.getSwitchExpression() == null ? null : expression(c.getSwitchExpression()), whens,
                    c.getElseExpression() == null ? null : expression(c.getElseExpression()));
        }
        if (e instanceof CastExpression cast) {
            return cast(cast);
        }
        if (e instanceof InExpression in) {
            Expr value = expression(in.getLeftExpression());
            if (in.getRightExpression() instanceof ParenthesedExpressionList<?> list) {
                List<Expr> candidates = new ArrayList<>();
                for (Expression candidate : list) {
                    candidates.add(expression(candidate));
                }
                return new Expr.In(value, candidates, null, in.isNot());
            }
            return new Expr.In(value, null, expression(in.getRightExpression()), in.isNot());
        }
        if (e instanceof Between between) {
            return new Expr.Between(expression(between.getLeftExpression()),
                    expression(between.getBetweenExpressionStart()), expression(between.getBetweenExpressionEnd()),
                    between.isNot());
        }
        if (e instanceof LikeExpression like) {
            if (like.getLikeKeyWord() != LikeExpression.KeyWord.LIKE) {
                throw unsupported(like.getLikeKeyWord() + " is not supported", like.getLikeKeyWord().toString());
            }
            return new Expr.Like(expression(like.getLeftExpression()), expression(like.getRightExpression()),
                    like.getEscape() == null ? null : expression(like.getEscape()), like.isNot());
        }
        if (e instanceof IsNullExpression isNull) {
            return new Expr.IsNull(expression(isNull.getLeftExpression()), isNull.isNot());
        }
        if (e instanceof IsUnknownExpression isUnknown) {
            return new Expr.IsUndefined(expression(isUnknown.getLeftExpression()), isUnknown.isNot());
        }
        if (e instanceof TrimFunction trim) {
            if (trim.getTrimSpecification() != null || trim.getFromExpression() != null) {
                throw unsupported("trim() takes one argument", "trim");
            }
            return new Expr.Call("trim", Functions.find("trim"), List.of(expression(trim.getExpression())));
        }
        if (e instanceof ParenthesedSelect nested) {
            return subquery(nested);
        }
        throw unsupported("\"" + e + "\" is not supported yet", e.toString());
    }

    private static final Map<Class<? extends Expression>, Expr.ComparisonOperator> COMPARISONS = Map.of(
            EqualsTo.class, Expr.ComparisonOperator.EQUAL,
            NotEqualsTo.class, Expr.ComparisonOperator.NOT_EQUAL,
            GreaterThan.class, Expr.ComparisonOperator.GREATER,
            GreaterThanEquals.class, Expr.ComparisonOperator.GREATER_OR_EQUAL,
            MinorThan.class, Expr.ComparisonOperator.LESS,
            MinorThanEquals.class, Expr.ComparisonOperator.LESS_OR_EQUAL);

    private static final Map<Class<? extends Expression>, Expr.ArithmeticOperator> ARITHMETIC = Map.of(
            Addition.class, Expr.ArithmeticOperator.ADD,
            Subtraction.class, Expr.ArithmeticOperator.SUBTRACT,
            Multiplication.class, Expr.ArithmeticOperator.MULTIPLY,
            Division.class, Expr.ArithmeticOperator.DIVIDE,
            Modulo.class, Expr.ArithmeticOperator.MODULO);

    private static Expr.ComparisonOperator comparison(Expression e) {
        return COMPARISONS.get(e.getClass());
    }

    private static Expr.ArithmeticOperator arithmetic(Expression e) {
        return ARITHMETIC.get(e.getClass());
    }

    /** {@code -5} is the literal -5, so that it has no cost at evaluation time. */
    private static Expr negativeLiteral(Expr operand) {
        if (operand instanceof Expr.Literal literal && !(literal.value() instanceof Value.Str)) {
            return new Expr.Literal(Operators.negate(literal.value()));
        }
        return new Expr.Negate(operand);
    }

    /**
     * A column is a payload field; a lone double-quoted name is a string literal, as in AWS's
     * {@code get(obj, "key")}.
     */
    private Expr column(Column column) {
        String name = column.getFullyQualifiedName();
        if (column.getTable() == null && name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
            return new Expr.Literal(new Value.Str(name.substring(1, name.length() - 1)));
        }
        if (column.getTable() == null && (name.equalsIgnoreCase("true") || name.equalsIgnoreCase("false"))) {
            return new Expr.Literal(Value.of(Boolean.parseBoolean(name.toLowerCase(Locale.ROOT))));
        }
        return new Expr.Field(pathOf(name, name));
    }

    /** Splits {@code a.b[0]."c.d"} into keys and indexes. */
    private List<Expr.PathStep> pathOf(String path, String fragment) {
        List<Expr.PathStep> steps = new ArrayList<>();
        int i = 0;
        int n = path.length();
        while (i < n) {
            char c = path.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) {
                    throw unsupported("unclosed [ in \"" + path + "\"", fragment);
                }
                String index = path.substring(i + 1, close).trim();
                if (!index.matches("\\d{1,9}")) {
                    throw unsupported("array index must be a non-negative integer in \"" + path + "\"", fragment);
                }
                steps.add(new Expr.PathStep.Index(Integer.parseInt(index)));
                i = close + 1;
            } else if (c == '"' || c == '`') {
                int close = path.indexOf(c, i + 1);
                if (close < 0) {
                    throw unsupported("unclosed quote in \"" + path + "\"", fragment);
                }
                steps.add(new Expr.PathStep.Key(path.substring(i + 1, close)));
                i = close + 1;
            } else {
                int end = i;
                while (end < n && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                steps.add(new Expr.PathStep.Key(path.substring(i, end)));
                i = end;
            }
        }
        if (steps.isEmpty()) {
            throw unsupported("empty field name", fragment);
        }
        return steps;
    }

    private Expr function(Function f) {
        String name = f.getName().toLowerCase(Locale.ROOT);
        if (Functions.EXTERNAL.contains(name)) {
            throw unsupported(f.getName() + "() calls another service and is not supported", f.getName() + "(");
        }
        Functions.SqlFunction definition = Functions.find(name);
        if (definition == null) {
            throw unsupported("unknown function " + f.getName() + "()", f.getName() + "(");
        }
        if (f.isDistinct() || f.getNamedParameters() != null) {
            throw unsupported("unsupported arguments to " + f.getName() + "()", f.getName() + "(");
        }
        List<Expr> arguments = new ArrayList<>();
        ExpressionList<?> parameters = f.getParameters();
        if (parameters != null) {
            for (Expression parameter : parameters) {
                arguments.add(expression(parameter));
            }
        }
        if (arguments.size() < definition.minArguments() || arguments.size() > definition.maxArguments()) {
            String expected = definition.minArguments() == definition.maxArguments()
                    ? Integer.toString(definition.minArguments())
                    : definition.minArguments() + " to " + definition.maxArguments();
            throw unsupported(f.getName() + "() takes " + expected + " argument(s), " + arguments.size() + " given",
                    f.getName() + "(");
        }
        if (definition.since().atLeast2016() && !version.atLeast2016()) {
            throw unsupported(f.getName() + "() needs awsIotSqlVersion 2016-03-23", f.getName() + "(");
        }
        if (Functions.LOOKUPS.contains(name)) {
            externalCalls++;
            // AWS: a statement calling get_dynamodb() twice terminates without running any action; refused here
            if (name.equals("get_dynamodb") && ++dynamoDbCalls > 1) {
                throw unsupported("get_dynamodb() can be called at most once per SQL statement", f.getName() + "(");
            }
        }
        Expr call = new Expr.Call(name, definition, arguments);
        if (f.getAttribute() != null) {
            // get(x, 0).v.w: the rest of the path applies to the call's result
            String attribute = f.getAttribute() instanceof Column column ? column.getFullyQualifiedName()
                    : f.getAttributeName();
            for (Expr.PathStep step : pathOf(attribute, f.toString())) {
                call = access(call, step);
            }
        }
        return call;
    }

    private static Expr access(Expr target, Expr.PathStep step) {
        if (target instanceof Expr.Field field) {
            List<Expr.PathStep> path = new ArrayList<>(field.path());
            path.add(step);
            return new Expr.Field(path);
        }
        return new Expr.Access(target, step);
    }

    private Expr cast(CastExpression cast) {
        String type = cast.getColDataType() == null ? "" : cast.getColDataType().getDataType().toLowerCase(Locale.ROOT);
        Expr.CastType target = switch (type) {
            case "int", "integer" -> Expr.CastType.INT;
            case "string", "varchar" -> Expr.CastType.STRING;
            case "decimal" -> Expr.CastType.DECIMAL;
            case "bool", "boolean" -> Expr.CastType.BOOLEAN;
            default -> throw unsupported("cannot cast to " + type, "cast");
        };
        if ((target == Expr.CastType.DECIMAL || target == Expr.CastType.BOOLEAN) && !version.atLeast2016()) {
            throw unsupported("cast to " + type + " needs awsIotSqlVersion 2016-03-23", "cast");
        }
        return new Expr.Cast(expression(cast.getLeftExpression()), target);
    }

    private void requires2016(String what, String fragment) {
        if (!version.atLeast2016()) {
            throw unsupported(what + " need awsIotSqlVersion 2016-03-23", fragment);
        }
    }

    /** {@code (SELECT items FROM <field> [WHERE cond])}: a query over each element of an array field. */
    private Expr subquery(ParenthesedSelect nested) {
        requires2016("nested SELECT queries", "(SELECT");
        if (nested.getPlainSelect() == null) {
            throw unsupported("a nested query must be a single SELECT", "(SELECT");
        }
        PlainSelect select = nested.getPlainSelect();
        rejectClauses(select);
        if (!(select.getFromItem() instanceof Table table) || table.getAlias() != null) {
            throw unsupported("a nested SELECT needs FROM <field of the message>", "(SELECT");
        }
        String name = table.getFullyQualifiedName();
        if (name.startsWith("'")) {
            throw unsupported("a nested SELECT reads a field, not a topic: FROM " + name, name);
        }
        Expr from = new Expr.Field(pathOf(name, name));
        nesting++;
        try {
            boolean selectValue = selectValue(select);
            List<RuleQuery.SelectItem> items = selectItems(select, selectValue);
            Expr where = select.getWhere() == null ? null : expression(select.getWhere());
            return new Expr.Subquery(items, selectValue, from, where);
        } finally {
            nesting--;
        }
    }

    private static String unquote(String name) {
        if (name.length() >= 2 && (name.startsWith("\"") && name.endsWith("\"")
                || name.startsWith("`") && name.endsWith("`") || name.startsWith("'") && name.endsWith("'"))) {
            return name.substring(1, name.length() - 1);
        }
        return name;
    }

    private static String firstWord(Statement statement) {
        String text = statement == null ? "" : statement.toString().trim();
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    /** A semantic error, placed at the first occurrence of {@code fragment} in the source (1:1 if not found). */
    private SqlParseException unsupported(String message, String fragment) {
        int index = fragment == null || fragment.isEmpty() ? -1
                : source.toLowerCase(Locale.ROOT).indexOf(fragment.toLowerCase(Locale.ROOT));
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.max(index, 0); i++) {
            if (source.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new SqlParseException(message + " (line " + line + ", column " + column + ")", line, column);
    }
}
