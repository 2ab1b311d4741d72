package io.openiot.registry.search.domain;

import io.openiot.registry.domain.RegistryValidationException;
import java.util.ArrayList;
import java.util.List;

/** Splits a fleet-indexing query string into tokens for {@link QueryParser}. */
final class QueryTokenizer {

    enum Type { WORD, QUOTED, COLON, COMPARE, LPAREN, RPAREN, LBRACKET, RBRACKET, LBRACE, RBRACE, MINUS }

    record Token(Type type, String text) {
    }

    private QueryTokenizer() {
    }

    static List<Token> tokenize(String query) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < query.length()) {
            char c = query.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                while (j < query.length() && query.charAt(j) != '"') {
                    if (query.charAt(j) == '\\' && j + 1 < query.length()) {
                        j++;
                    }
                    text.append(query.charAt(j++));
                }
                if (j >= query.length()) {
                    throw new RegistryValidationException("Invalid query string: unterminated quote");
                }
                tokens.add(new Token(Type.QUOTED, text.toString()));
                i = j + 1;
            } else if (c == '>' || c == '<') {
                boolean equal = i + 1 < query.length() && query.charAt(i + 1) == '=';
                tokens.add(new Token(Type.COMPARE, equal ? c + "=" : String.valueOf(c)));
                i += equal ? 2 : 1;
            } else if (single(c) != null) {
                tokens.add(new Token(single(c), String.valueOf(c)));
                i++;
            } else if (c == '-' && (tokens.isEmpty() || startsTerm(tokens.get(tokens.size() - 1)))) {
                // "-" before a term negates it; inside a value ("[-5 TO 5]", "a-b") it is part of the word
                tokens.add(new Token(Type.MINUS, "-"));
                i++;
            } else {
                int j = i;
                while (j < query.length() && !Character.isWhitespace(query.charAt(j)) && single(query.charAt(j)) == null
                        && "\"<>".indexOf(query.charAt(j)) < 0) {
                    j++;
                }
                tokens.add(new Token(Type.WORD, query.substring(i, j)));
                i = j;
            }
        }
        return tokens;
    }

    private static boolean startsTerm(Token previous) {
        return previous.type() == Type.LPAREN || previous.type() == Type.MINUS
                || previous.type() == Type.WORD && List.of("AND", "OR", "NOT").contains(previous.text())
                || previous.type() == Type.RPAREN || previous.type() == Type.QUOTED || previous.type() == Type.RBRACKET
                || previous.type() == Type.RBRACE
                || previous.type() == Type.WORD && !previous.text().equals("TO");
    }

    private static Type single(char c) {
        return switch (c) {
            case ':' -> Type.COLON;
            case '(' -> Type.LPAREN;
            case ')' -> Type.RPAREN;
            case '[' -> Type.LBRACKET;
            case ']' -> Type.RBRACKET;
            case '{' -> Type.LBRACE;
            case '}' -> Type.RBRACE;
            default -> null;
        };
    }
}
