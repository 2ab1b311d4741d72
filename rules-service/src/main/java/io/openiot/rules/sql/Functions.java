package io.openiot.rules.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Pattern;

/**
 * The built-in SQL functions by lower-case name, registered once through {@link Registry.Builder}. A call with the
 * wrong number of arguments is rejected when the SQL is parsed, and so is a 2016-03-23 function in a 2015-10-08
 * rule; a call with arguments it cannot use returns Undefined, as AWS does.
 */
final class Functions {

    /** One function: its arity, the first SQL version that has it, and what it computes. */
    record SqlFunction(int minArguments, int maxArguments, SqlVersion since, Implementation implementation) {
        SqlFunction(int minArguments, int maxArguments, Implementation implementation) {
            this(minArguments, maxArguments, SqlVersion.V2015_10_08, implementation);
        }
    }

    @FunctionalInterface
    interface Implementation {
        Value apply(List<Value> arguments, MessageContext context);
    }

    /** AWS functions that call other services; refused by name so that the message says why. */
    static final Set<String> EXTERNAL = Set.of("aws_lambda", "machinelearning_predict", "get_secret",
            "get_registry_data", "get_mqtt_property", "get_user_properties");

    /** The functions that read our other services through {@link ExternalData}. */
    static final Set<String> LOOKUPS = Set.of("get_thing_shadow", "get_dynamodb");

    /** AWS's GetThingShadow name rules: thing 1–128 of {@code [a-zA-Z0-9:_-]}, shadow 1–64 of {@code [$a-zA-Z0-9:_-]}. */
    private static final Pattern THING_NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");
    private static final Pattern SHADOW_NAME = Pattern.compile("[$a-zA-Z0-9:_-]{1,64}");

    /** An immutable name → function table. */
    static final class Registry {
        private final Map<String, SqlFunction> functions;

        private Registry(Map<String, SqlFunction> functions) {
            this.functions = Map.copyOf(functions);
        }

        static Builder builder() {
            return new Builder();
        }

        SqlFunction find(String name) {
            return functions.get(name.toLowerCase(Locale.ROOT));
        }

        Set<String> names() {
            return functions.keySet();
        }

        static final class Builder {
            private final Map<String, SqlFunction> functions = new LinkedHashMap<>();

            Builder add(String name, int min, int max, Implementation implementation) {
                return add(name, min, max, SqlVersion.V2015_10_08, implementation);
            }

            Builder add2016(String name, int min, int max, Implementation implementation) {
                return add(name, min, max, SqlVersion.V2016_03_23, implementation);
            }

            Builder add(String name, int min, int max, SqlVersion since, Implementation implementation) {
                if (functions.putIfAbsent(name, new SqlFunction(min, max, since, implementation)) != null) {
                    throw new IllegalStateException("function " + name + " registered twice");
                }
                return this;
            }

            Builder unaryMath(String name, DoubleUnaryOperator operator) {
                return add(name, 1, 1, (args, ctx) -> decimalOf(number(args.get(0)), operator));
            }

            Registry build() {
                return new Registry(functions);
            }
        }
    }

    private static final int MAX_PAD = 1000;
    private static final int MAX_TRUNC_DIGITS = 34;

    private static final Registry REGISTRY = register(Registry.builder()).build();

    private Functions() {
    }

    static SqlFunction find(String name) {
        return REGISTRY.find(name);
    }

    static Set<String> names() {
        return REGISTRY.names();
    }

    private static Registry.Builder register(Registry.Builder r) {
        // other services (roleArn is accepted and not used: our services trust rules-service's own credential)
        r.add2016("get_thing_shadow", 2, 3, Functions::getThingShadow)
                .add2016("get_dynamodb", 4, 6, Functions::getDynamoDb);
        // message facts
        r.add("topic", 0, 1, Functions::topic)
                .add("clientid", 0, 0, (args, ctx) -> Value.of(ctx.clientId() == null ? "n/a" : ctx.clientId()))
                .add("principal", 0, 0, (args, ctx) -> Value.of(ctx.principal()))
                .add("timestamp", 0, 0, (args, ctx) -> Value.of(ctx.now()))
                .add("traceid", 0, 0, (args, ctx) -> Value.of(ctx.traceId()))
                .add("accountid", 0, 0, (args, ctx) -> Value.of(ctx.accountId()))
                .add("sql_version", 0, 0, (args, ctx) -> Value.of(ctx.sqlVersion().toString()))
                .add("newuuid", 0, 0, (args, ctx) -> Value.of(UUID.randomUUID().toString()))
                .add("rand", 0, 0, (args, ctx) -> decimal(BigDecimal.valueOf(ThreadLocalRandom.current().nextDouble())))
                .add(DialectRewriter.EMPTY_OBJECT, 0, 0, (args, ctx) -> new Value.Obj(Map.of()));
        // types
        r.add("isnull", 1, 1, (args, ctx) -> Value.of(args.get(0) instanceof Value.Null))
                .add2016("isundefined", 1, 1, (args, ctx) -> Value.of(args.get(0).isUndefined()))
                .add("get", 2, 2, Functions::get);
        // numbers
        r.add("abs", 1, 1, (args, ctx) -> args.get(0) instanceof Value.Int i ? new Value.Int(i.value().abs())
                        : decimalOrUndefined(number(args.get(0)), BigDecimal::abs))
                .add("sign", 1, 1, (args, ctx) -> {
                    BigDecimal n = number(args.get(0));
                    return n == null ? Value.UNDEFINED : Value.of(n.signum());
                })
                .add("ceil", 1, 1, (args, ctx) -> rounded(args.get(0), RoundingMode.CEILING))
                .add("floor", 1, 1, (args, ctx) -> rounded(args.get(0), RoundingMode.FLOOR))
                .add("round", 1, 1, (args, ctx) -> rounded(args.get(0), RoundingMode.HALF_UP))
                .add("trunc", 2, 2, Functions::trunc)
                .add("mod", 2, 2, (args, ctx) -> Operators.arithmetic(Expr.ArithmeticOperator.MODULO, numeric(args.get(0)),
                        numeric(args.get(1))))
                .add("remainder", 2, 2, (args, ctx) -> Operators.arithmetic(Expr.ArithmeticOperator.MODULO,
                        numeric(args.get(0)), numeric(args.get(1))))
                .add("power", 2, 2, (args, ctx) -> decimalOf(number(args.get(0)), number(args.get(1)), Math::pow))
                .add("atan2", 2, 2, (args, ctx) -> decimalOf(number(args.get(0)), number(args.get(1)), Math::atan2))
                .add("nanvl", 2, 2, (args, ctx) -> number(args.get(0)) != null ? args.get(0) : args.get(1))
                .unaryMath("sqrt", Math::sqrt).unaryMath("exp", Math::exp).unaryMath("ln", Math::log)
                .unaryMath("log", Math::log10)
                .unaryMath("sin", Math::sin).unaryMath("cos", Math::cos).unaryMath("tan", Math::tan)
                .unaryMath("asin", Math::asin).unaryMath("acos", Math::acos).unaryMath("atan", Math::atan)
                .unaryMath("sinh", Math::sinh).unaryMath("cosh", Math::cosh).unaryMath("tanh", Math::tanh)
                .add("bitand", 2, 2, (args, ctx) -> bits(args, BigInteger::and))
                .add("bitor", 2, 2, (args, ctx) -> bits(args, BigInteger::or))
                .add("bitxor", 2, 2, (args, ctx) -> bits(args, BigInteger::xor))
                .add("bitnot", 1, 1, (args, ctx) -> {
                    BigInteger n = integer(args.get(0));
                    return n == null ? Value.UNDEFINED : new Value.Int(n.not());
                });
        // strings
        r.add("lower", 1, 1, (args, ctx) -> mapText(args.get(0), s -> s.toLowerCase(Locale.ROOT)))
                .add("upper", 1, 1, (args, ctx) -> mapText(args.get(0), s -> s.toUpperCase(Locale.ROOT)))
                .add("trim", 1, 1, (args, ctx) -> mapText(args.get(0), String::strip))
                .add("ltrim", 1, 1, (args, ctx) -> mapText(args.get(0), String::stripLeading))
                .add("rtrim", 1, 1, (args, ctx) -> mapText(args.get(0), String::stripTrailing))
                .add("lpad", 2, 2, (args, ctx) -> pad(args, true))
                .add("rpad", 2, 2, (args, ctx) -> pad(args, false))
                .add("concat", 0, Integer.MAX_VALUE, (args, ctx) -> concat(args))
                .add("substring", 2, 3, Functions::substring)
                .add("replace", 3, 3, (args, ctx) -> {
                    String s = text(args.get(0));
                    String from = text(args.get(1));
                    String to = text(args.get(2));
                    return s == null || from == null || to == null ? Value.UNDEFINED : Value.of(s.replace(from, to));
                })
                .add("startswith", 2, 2, (args, ctx) -> textTest(args, String::startsWith))
                .add("endswith", 2, 2, (args, ctx) -> textTest(args, String::endsWith))
                .add2016("indexof", 2, 2, (args, ctx) -> {
                    String s = text(args.get(0));
                    String t = text(args.get(1));
                    return s == null || t == null ? Value.UNDEFINED : Value.of(s.indexOf(t));
                })
                .add2016("length", 1, 1, (args, ctx) -> args.get(0) instanceof Value.Str s
                        ? Value.of(s.value().codePointCount(0, s.value().length())) : Value.UNDEFINED)
                .add2016("numbytes", 1, 1, (args, ctx) -> args.get(0) instanceof Value.Str s
                        ? Value.of(s.value().getBytes(StandardCharsets.UTF_8).length) : Value.UNDEFINED)
                .add("chr", 1, 1, (args, ctx) -> {
                    BigInteger n = integer(args.get(0));
                    return n == null ? Value.UNDEFINED : Value.of(Character.toString(n.intValueExact()));
                })
                .add("regexp_matches", 2, 2, (args, ctx) -> {
                    String s = text(args.get(0));
                    String p = text(args.get(1));
                    return s == null || p == null ? Value.UNDEFINED : Value.of(Pattern.compile(p).matcher(s).find());
                })
                .add("regexp_replace", 3, 3, (args, ctx) -> {
                    String s = text(args.get(0));
                    String p = text(args.get(1));
                    String replacement = text(args.get(2));
                    return s == null || p == null || replacement == null ? Value.UNDEFINED
                            : Value.of(Pattern.compile(p).matcher(s).replaceAll(replacement));
                })
                .add("regexp_substr", 2, 2, (args, ctx) -> {
                    String s = text(args.get(0));
                    String p = text(args.get(1));
                    if (s == null || p == null) {
                        return Value.UNDEFINED;
                    }
                    var m = Pattern.compile(p).matcher(s);
                    return Value.of(m.find() ? m.group() : "");
                });
        // encodings and hashes
        r.add2016("encode", 2, 2, (args, ctx) -> {
            String s = text(args.get(0));
            return s == null || !isBase64(args.get(1)) ? Value.UNDEFINED
                    : Value.of(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
        }).add2016("decode", 2, 2, Functions::decode);
        for (String[] digest : new String[][] {{"md2", "MD2"}, {"md5", "MD5"}, {"sha1", "SHA-1"},
                {"sha224", "SHA-224"}, {"sha256", "SHA-256"}, {"sha384", "SHA-384"}, {"sha512", "SHA-512"}}) {
            String algorithm = digest[1];
            r.add(digest[0], 1, 1, (args, ctx) -> hash(args.get(0), algorithm));
        }
        // time and shape
        r.add2016("parse_time", 2, 3, Functions::parseTime)
                .add2016("time_to_epoch", 2, 2, Functions::timeToEpoch)
                .add2016("transform", 3, 3, Functions::transform);
        return r;
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
        int index = n.intValueExact();
        return index >= 1 && index <= levels.length ? Value.of(levels[index - 1]) : Value.UNDEFINED;
    }

    /** {@code get(array, i)}, {@code get(string, i)} (one character) and {@code get(object, key)}. */
    private static Value get(List<Value> args, MessageContext context) {
        Value target = args.get(0);
        Value key = args.get(1);
        if (target instanceof Value.Obj object) {
            String name = key instanceof Value.Str s ? s.value() : null;
            return name == null ? Value.UNDEFINED : object.fields().getOrDefault(name, Value.UNDEFINED);
        }
        BigInteger index = integer(key);
        if (index == null || index.signum() < 0) {
            return Value.UNDEFINED;
        }
        if (target instanceof Value.Array array) {
            return index.compareTo(BigInteger.valueOf(array.elements().size())) < 0
                    ? array.elements().get(index.intValue()) : Value.UNDEFINED;
        }
        if (target instanceof Value.Str s) {
            return index.compareTo(BigInteger.valueOf(s.value().length())) < 0
                    ? Value.of(String.valueOf(s.value().charAt(index.intValue()))) : Value.UNDEFINED;
        }
        return Value.UNDEFINED;
    }

    private static Value trunc(List<Value> args, MessageContext context) {
        BigDecimal n = number(args.get(0));
        BigInteger digits = integer(args.get(1));
        if (n == null || digits == null) {
            return Value.UNDEFINED;
        }
        int scale = Math.max(0, Math.min(MAX_TRUNC_DIGITS, digits.intValue()));
        BigDecimal truncated = n.setScale(scale, RoundingMode.DOWN).stripTrailingZeros();
        return args.get(0) instanceof Value.Int ? args.get(0) : decimal(truncated);
    }

    private static Value rounded(Value value, RoundingMode mode) {
        if (value instanceof Value.Int) {
            return value;
        }
        BigDecimal n = number(value);
        return n == null ? Value.UNDEFINED : new Value.Int(n.setScale(0, mode).toBigIntegerExact());
    }

    private static Value bits(List<Value> args, java.util.function.BinaryOperator<BigInteger> operator) {
        BigInteger a = integer(args.get(0));
        BigInteger b = integer(args.get(1));
        return a == null || b == null ? Value.UNDEFINED : new Value.Int(operator.apply(a, b));
    }

    /** {@code lpad(s, n)} / {@code rpad(s, n)}: n spaces added, n clamped to 0–1000. */
    private static Value pad(List<Value> args, boolean left) {
        String s = text(args.get(0));
        BigInteger n = integer(args.get(1));
        if (s == null || n == null) {
            return Value.UNDEFINED;
        }
        String spaces = " ".repeat(Math.max(0, Math.min(MAX_PAD, n.min(BigInteger.valueOf(MAX_PAD)).intValue())));
        return Value.of(left ? spaces + s : s + spaces);
    }

    /** No argument: Undefined; one: itself; any Array: one flattened array; otherwise the texts joined. */
    private static Value concat(List<Value> args) {
        if (args.isEmpty()) {
            return Value.UNDEFINED;
        }
        if (args.size() == 1) {
            return args.get(0);
        }
        if (args.stream().anyMatch(Value.Array.class::isInstance)) {
            List<Value> elements = new ArrayList<>();
            for (Value arg : args) {
                if (arg instanceof Value.Array array) {
                    elements.addAll(array.elements());
                } else if (!arg.isUndefined()) {
                    elements.add(arg);
                }
            }
            return new Value.Array(elements);
        }
        StringBuilder joined = new StringBuilder();
        for (Value arg : args) {
            String s = text(arg);
            if (s == null) {
                return Value.UNDEFINED;
            }
            joined.append(s);
        }
        return Value.of(joined.toString());
    }

    /** 0-based, end exclusive, both clamped to the string; a start after the end gives "". */
    private static Value substring(List<Value> args, MessageContext context) {
        String s = text(args.get(0));
        BigInteger from = integer(args.get(1));
        BigInteger to = args.size() > 2 ? integer(args.get(2)) : BigInteger.valueOf(Integer.MAX_VALUE);
        if (s == null || from == null || to == null) {
            return Value.UNDEFINED;
        }
        int length = s.length();
        int start = clamp(from, length);
        int end = clamp(to, length);
        return Value.of(start >= end ? "" : s.substring(start, end));
    }

    private static int clamp(BigInteger n, int length) {
        return n.signum() < 0 ? 0 : n.min(BigInteger.valueOf(length)).intValue();
    }

    private static Value textTest(List<Value> args, java.util.function.BiPredicate<String, String> test) {
        String s = text(args.get(0));
        String t = text(args.get(1));
        return s == null || t == null ? Value.UNDEFINED : Value.of(test.test(s, t));
    }

    private static boolean isBase64(Value scheme) {
        return scheme instanceof Value.Str s && s.value().equals("base64");
    }

    /** base64 back to bytes: a JSON document becomes its value, other UTF-8 text a String; undecodable is Null. */
    private static Value decode(List<Value> args, MessageContext context) {
        if (!isBase64(args.get(1))) {
            return Value.UNDEFINED;
        }
        if (!(args.get(0) instanceof Value.Str s)) {
            return Value.UNDEFINED;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s.value());
        } catch (IllegalArgumentException e) {
            return Value.NULL;
        }
        Value json = JsonValues.parse(bytes);
        if (json != null) {
            return json;
        }
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return Value.of(decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            return Value.NULL;
        }
    }

    private static Value hash(Value value, String algorithm) {
        String s = text(value);
        if (s == null) {
            return Value.UNDEFINED;
        }
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8));
            return Value.of(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            return Value.UNDEFINED;
        }
    }

    /**
     * {@code get_thing_shadow(thingName, roleArn)} (the classic shadow) or {@code get_thing_shadow(thingName,
     * shadowName, roleArn)}: the shadow document as an Object; Undefined when there is no such shadow or an argument
     * is not a valid name.
     */
    private static Value getThingShadow(List<Value> args, MessageContext context) {
        String thing = args.get(0) instanceof Value.Str s && THING_NAME.matcher(s.value()).matches() ? s.value() : null;
        String shadow = null;
        if (args.size() == 3) {
            shadow = args.get(1) instanceof Value.Str s && SHADOW_NAME.matcher(s.value()).matches() ? s.value() : null;
            if (shadow == null) {
                return Value.UNDEFINED;
            }
        }
        if (thing == null || !(args.get(args.size() - 1) instanceof Value.Str)) {
            return Value.UNDEFINED;
        }
        return context.externalData().thingShadow(thing, shadow).map(Functions::json).orElse(Value.UNDEFINED);
    }

    /**
     * {@code get_dynamodb(tableName, partitionKeyName, partitionKeyValue[, sortKeyName, sortKeyValue], roleArn)}:
     * the item as an Object in plain JSON; Undefined when there is no such item or table, a key value is not a
     * String or number, or a key name is not the item's.
     */
    private static Value getDynamoDb(List<Value> args, MessageContext context) {
        if (args.size() == 5) {
            return Value.UNDEFINED;
        }
        String table = args.get(0) instanceof Value.Str s && !s.value().isEmpty() ? s.value() : null;
        String partitionName = args.get(1) instanceof Value.Str s && !s.value().isEmpty() ? s.value() : null;
        String partitionKey = keyText(args.get(2));
        String sortName = null;
        String sortKey = null;
        if (args.size() == 6) {
            sortName = args.get(3) instanceof Value.Str s && !s.value().isEmpty() ? s.value() : null;
            sortKey = keyText(args.get(4));
            if (sortName == null || sortKey == null) {
                return Value.UNDEFINED;
            }
        }
        if (table == null || partitionName == null || partitionKey == null
                || !(args.get(args.size() - 1) instanceof Value.Str)) {
            return Value.UNDEFINED;
        }
        Value item = context.externalData().item(table, partitionKey, sortKey).map(Functions::json)
                .orElse(Value.UNDEFINED);
        // the sink looks items up by key value; the names must be the table's keys, which the item carries
        if (!(item instanceof Value.Obj object) || !object.fields().containsKey(partitionName)
                || (sortName != null && !object.fields().containsKey(sortName))) {
            return Value.UNDEFINED;
        }
        return item;
    }

    /** A key value as the sink's path takes it: a String as it is, a number in plain notation; else null. */
    private static String keyText(Value value) {
        if (value instanceof Value.Str s) {
            return s.value().isEmpty() ? null : s.value();
        }
        if (value instanceof Value.Int i) {
            return i.value().toString();
        }
        return value instanceof Value.Decimal d ? d.value().stripTrailingZeros().toPlainString() : null;
    }

    private static Value json(byte[] document) {
        Value value = JsonValues.parse(document);
        return value == null ? Value.UNDEFINED : value;
    }

    /** {@code parse_time(pattern, epochMillis[, zone])}: the time formatted in the zone (UTC by default). */
    private static Value parseTime(List<Value> args, MessageContext context) {
        String pattern = args.get(0) instanceof Value.Str s ? s.value() : null;
        BigInteger millis = integer(args.get(1));
        String zone = args.size() > 2 ? (args.get(2) instanceof Value.Str z ? z.value() : null) : "UTC";
        if (pattern == null || millis == null || zone == null) {
            return Value.UNDEFINED;
        }
        DateTimeFormatter formatter = DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneId.of(zone));
        return Value.of(formatter.format(Instant.ofEpochMilli(millis.longValueExact())));
    }

    /** {@code time_to_epoch(text, pattern)}: epoch milliseconds; UTC when the text names no zone or offset. */
    private static Value timeToEpoch(List<Value> args, MessageContext context) {
        String text = args.get(0) instanceof Value.Str s ? s.value() : null;
        String pattern = args.get(1) instanceof Value.Str p ? p.value() : null;
        if (text == null || pattern == null) {
            return Value.UNDEFINED;
        }
        TemporalAccessor parsed = DateTimeFormatter.ofPattern(pattern, Locale.ROOT).parse(text);
        LocalDate date = parsed.query(TemporalQueries.localDate());
        if (date == null) {
            return Value.UNDEFINED;
        }
        LocalTime time = parsed.query(TemporalQueries.localTime());
        ZoneId zone = parsed.query(TemporalQueries.zone());
        long epoch = date.atTime(time == null ? LocalTime.MIDNIGHT : time)
                .atZone(zone == null ? ZoneOffset.UTC : zone).toInstant().toEpochMilli();
        if (time == null && parsed.isSupported(ChronoField.HOUR_OF_DAY)) {
            epoch += parsed.getLong(ChronoField.HOUR_OF_DAY) * 3_600_000L;
        }
        return Value.of(epoch);
    }

    /**
     * {@code transform('enrichArray', object, array)}: each object element with the object's keys added, other
     * elements dropped. {@code transform('propagate', object, array)}: for each element, the object with the
     * element's keys added (an element that is not an object under the key "_").
     */
    private static Value transform(List<Value> args, MessageContext context) {
        if (!(args.get(0) instanceof Value.Str mode) || !(args.get(1) instanceof Value.Obj object)
                || !(args.get(2) instanceof Value.Array array)) {
            return Value.UNDEFINED;
        }
        List<Value> result = new ArrayList<>();
        switch (mode.value()) {
            case "enrichArray" -> {
                for (Value element : array.elements()) {
                    if (element instanceof Value.Obj e) {
                        Map<String, Value> fields = new LinkedHashMap<>(e.fields());
                        fields.putAll(object.fields());
                        result.add(new Value.Obj(fields));
                    }
                }
            }
            case "propagate" -> {
                for (Value element : array.elements()) {
                    Map<String, Value> fields = new LinkedHashMap<>(object.fields());
                    if (element instanceof Value.Obj e) {
                        fields.putAll(e.fields());
                    } else {
                        fields.put("_", element);
                    }
                    result.add(new Value.Obj(fields));
                }
            }
            default -> {
                return Value.UNDEFINED;
            }
        }
        return new Value.Array(result);
    }

    // --- conversions shared by the functions ---

    /** A number or numeric String as a Decimal; anything else (Null and Boolean too) null. */
    private static BigDecimal number(Value value) {
        return Operators.toDecimal(value);
    }

    /** The value as an Int or Decimal operand, so that mod() keeps Int ∘ Int an Int. */
    private static Value numeric(Value value) {
        if (value instanceof Value.Int || value instanceof Value.Decimal) {
            return value;
        }
        BigDecimal n = number(value);
        return n == null ? Value.UNDEFINED : new Value.Decimal(n);
    }

    /** A whole number; Decimals are rounded down, as the reference says for integer arguments. */
    static BigInteger integer(Value value) {
        if (value instanceof Value.Int i) {
            return i.value();
        }
        BigDecimal n = number(value);
        return n == null ? null : n.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
    }

    /** The text of a value for string functions; Null and Undefined have none. */
    private static String text(Value value) {
        if (value.isUndefined() || value instanceof Value.Null) {
            return null;
        }
        return Operators.text(value);
    }

    private static Value mapText(Value value, java.util.function.UnaryOperator<String> f) {
        String s = text(value);
        return s == null ? Value.UNDEFINED : Value.of(f.apply(s));
    }

    private static Value decimal(BigDecimal n) {
        return new Value.Decimal(n);
    }

    private static Value decimalOrUndefined(BigDecimal n, java.util.function.UnaryOperator<BigDecimal> f) {
        return n == null ? Value.UNDEFINED : decimal(f.apply(n));
    }

    /** A double-precision result, as AWS computes its math functions; NaN and infinities are Undefined. */
    private static Value decimalOf(BigDecimal n, DoubleUnaryOperator f) {
        return n == null ? Value.UNDEFINED : finite(f.applyAsDouble(n.doubleValue()));
    }

    private static Value decimalOf(BigDecimal a, BigDecimal b, DoubleBinaryOperator f) {
        return a == null || b == null ? Value.UNDEFINED : finite(f.applyAsDouble(a.doubleValue(), b.doubleValue()));
    }

    private static Value finite(double d) {
        return Double.isFinite(d) ? decimal(BigDecimal.valueOf(d)) : Value.UNDEFINED;
    }
}
