package io.openiot.policylang;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * A policy string with its variables substituted: IAM wildcards {@code *} (any run of characters, {@code /}
 * included) and {@code ?} (one character) where the policy wrote them, every other character literal. A value that
 * came from a variable is literal throughout, so a client id of {@code *} cannot widen a match; MQTT's {@code +} and
 * {@code #} are always literal, as in AWS.
 */
final class Glob {

    static final byte LITERAL = 0;
    static final byte STAR = 1;
    static final byte ONE = 2;

    final char[] chars;
    final byte[] kinds;

    Glob(char[] chars, byte[] kinds) {
        this.chars = chars;
        this.kinds = kinds;
    }

    /** The substituted text with wildcards as written, for the {@code StringEquals} family. */
    String text() {
        return new String(chars);
    }

    boolean matches(String s) {
        return matches(chars, kinds, 0, s, 0, false);
    }

    boolean matchesIgnoreCase(String s) {
        return matches(chars, kinds, 0, s, 0, true);
    }

    /**
     * Whether the pattern from {@code pi} matches {@code s} from {@code si} to its end. Greedy with one backtrack
     * point (the last {@code *}), which is exact for {@code *} and {@code ?} patterns, and allocates nothing.
     */
    static boolean matches(char[] p, byte[] k, int pi, String s, int si, boolean ignoreCase) {
        int n = p.length;
        int m = s.length();
        int starP = -1;
        int starS = -1;
        while (si < m) {
            if (pi < n && k[pi] == ONE) {
                si += charCount(s, si);
                pi++;
            } else if (pi < n && k[pi] == LITERAL && same(p[pi], s.charAt(si), ignoreCase)) {
                pi++;
                si++;
            } else if (pi < n && k[pi] == STAR) {
                starP = pi++;
                starS = si;
            } else if (starP >= 0) {
                pi = starP + 1;
                starS += charCount(s, starS);
                si = starS;
            } else {
                return false;
            }
        }
        while (pi < n && k[pi] == STAR) {
            pi++;
        }
        return pi == n;
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b);
    }

    // '?' is one character, so a surrogate pair counts once
    private static int charCount(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1)) ? 2 : 1;
    }

    /**
     * The pattern positions from which the rest of the pattern must match what follows {@code prefix}: the glob's
     * derivative by a fixed ARN prefix such as {@code arn:aws:iot:us-east-1:123456789012:topic/}. Empty when no
     * string with that prefix can match.
     */
    List<Integer> positionsAfter(String prefix) {
        int n = chars.length;
        int literal = 0;
        while (literal < n && literal < prefix.length() && kinds[literal] == LITERAL) {
            if (chars[literal] != prefix.charAt(literal)) {
                // the common case, a literal ARN prefix, needs no automaton; nor does a literal start that differs
                return List.of();
            }
            literal++;
        }
        if (literal == prefix.length()) {
            return List.of(literal);
        }
        if (literal == n) {
            return List.of();
        }
        BitSet states = closure(singleton(0, n + 1));
        for (int i = 0; i < prefix.length() && !states.isEmpty(); i++) {
            char c = prefix.charAt(i);
            BitSet next = new BitSet(n + 1);
            for (int s = states.nextSetBit(0); s >= 0; s = states.nextSetBit(s + 1)) {
                if (s == n) {
                    continue;
                }
                switch (kinds[s]) {
                    case STAR -> next.set(s);
                    case ONE -> next.set(s + 1);
                    default -> {
                        if (chars[s] == c) {
                            next.set(s + 1);
                        }
                    }
                }
            }
            states = closure(next);
        }
        List<Integer> positions = new ArrayList<>();
        states.stream().forEach(positions::add);
        return positions;
    }

    private static BitSet singleton(int bit, int size) {
        BitSet set = new BitSet(size);
        set.set(bit);
        return set;
    }

    // a '*' may match nothing, so the position after it is reachable too
    private BitSet closure(BitSet states) {
        for (int s = states.nextSetBit(0); s >= 0 && s < chars.length; s = states.nextSetBit(s + 1)) {
            if (kinds[s] == STAR) {
                states.set(s + 1);
            }
        }
        return states;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob g && Arrays.equals(chars, g.chars) && Arrays.equals(kinds, g.kinds);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(chars) + Arrays.hashCode(kinds);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < chars.length; i++) {
            sb.append(kinds[i] == LITERAL && (chars[i] == '*' || chars[i] == '?') ? "\\" : "").append(chars[i]);
        }
        return sb.toString();
    }
}
