package io.openiot.policylang;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A policy string as written: text with IAM wildcards, {@code ${name}} and {@code ${name, 'default'}} policy
 * variables, and the escapes {@code ${*}}, {@code ${?}}, {@code ${$}} (IAM's spelling) or {@code $(*)}, {@code $(?)},
 * {@code $($)} (the AWS IoT guide's) for a literal {@code *}, {@code ?} or {@code $}. Version {@code 2008-10-17}
 * documents have no variables: everything is text.
 */
final class Template {

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z0-9-]+:[^\\s{}$']+");

    private sealed interface Part permits Text, Escaped, Variable {
    }

    /** Text whose {@code *} and {@code ?} are wildcards. */
    private record Text(String text) implements Part {
    }

    /** One character taken literally. */
    private record Escaped(char c) implements Part {
    }

    private record Variable(String name, String defaultValue) implements Part {
    }

    private final String source;
    private final List<Part> parts;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    String source() {
        return source;
    }

    /** The names of the variables that have neither a value for this principal nor a default. */
    void addUnresolved(PrincipalContext context, java.util.Set<String> into) {
        for (Part part : parts) {
            if (part instanceof Variable v && v.defaultValue == null && Variables.value(context, v.name) == null) {
                into.add(v.name);
            }
        }
    }

    boolean hasVariables() {
        return parts.stream().anyMatch(p -> p instanceof Variable);
    }

    static Template parse(String source, boolean variables) {
        List<Part> parts = new ArrayList<>();
        if (!variables) {
            parts.add(new Text(source));
            return new Template(source, List.copyOf(parts));
        }
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '$' && i + 3 < source.length() && source.charAt(i + 1) == '(' && isEscapeAt(source, i + 2)
                    && source.charAt(i + 3) == ')') {
                flush(text, parts);
                parts.add(new Escaped(source.charAt(i + 2)));
                i += 4;
            } else if (c == '$' && i + 1 < source.length() && source.charAt(i + 1) == '{') {
                int end = source.indexOf('}', i + 2);
                if (end < 0) {
                    throw new MalformedPolicyException("Unterminated policy variable in '" + source + "'");
                }
                String inner = source.substring(i + 2, end);
                flush(text, parts);
                if (inner.length() == 1 && isEscapeAt(inner, 0)) {
                    parts.add(new Escaped(inner.charAt(0)));
                } else {
                    parts.add(variable(inner, source));
                }
                i = end + 1;
            } else {
                text.append(c);
                i++;
            }
        }
        flush(text, parts);
        return new Template(source, List.copyOf(parts));
    }

    private static boolean isEscapeAt(String s, int i) {
        if (i >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        return c == '*' || c == '?' || c == '$';
    }

    private static Variable variable(String inner, String source) {
        String name = inner;
        String defaultValue = null;
        int comma = inner.indexOf(',');
        if (comma >= 0) {
            name = inner.substring(0, comma);
            String rest = inner.substring(comma + 1).strip();
            if (rest.length() < 2 || rest.charAt(0) != '\'' || rest.charAt(rest.length() - 1) != '\'') {
                throw new MalformedPolicyException("Invalid default value in policy variable '${" + inner
                        + "}' in '" + source + "': write ${name, 'default'}");
            }
            defaultValue = rest.substring(1, rest.length() - 1);
        }
        name = name.strip();
        if (!VARIABLE_NAME.matcher(name).matches()) {
            throw new MalformedPolicyException("Invalid policy variable '${" + inner + "}' in '" + source + "'");
        }
        return new Variable(name, defaultValue);
    }

    private static void flush(StringBuilder text, List<Part> parts) {
        if (!text.isEmpty()) {
            parts.add(new Text(text.toString()));
            text.setLength(0);
        }
    }

    /**
     * The glob with every variable replaced by its value taken literally, or {@code null} when a variable has no
     * value and no default.
     */
    Glob substitute(Function<String, String> variables) {
        StringBuilder chars = new StringBuilder();
        StringBuilder kinds = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Text t) {
                for (int i = 0; i < t.text.length(); i++) {
                    char c = t.text.charAt(i);
                    chars.append(c);
                    kinds.append((char) (c == '*' ? Glob.STAR : c == '?' ? Glob.ONE : Glob.LITERAL));
                }
            } else if (part instanceof Escaped e) {
                chars.append(e.c);
                kinds.append((char) Glob.LITERAL);
            } else {
                Variable v = (Variable) part;
                String value = variables.apply(v.name);
                if (value == null) {
                    value = v.defaultValue;
                }
                if (value == null) {
                    return null;
                }
                chars.append(value);
                for (int i = 0; i < value.length(); i++) {
                    kinds.append((char) Glob.LITERAL);
                }
            }
        }
        byte[] kindBytes = new byte[kinds.length()];
        for (int i = 0; i < kindBytes.length; i++) {
            kindBytes[i] = (byte) kinds.charAt(i);
        }
        return new Glob(chars.toString().toCharArray(), kindBytes);
    }

    @Override
    public String toString() {
        return source;
    }
}
