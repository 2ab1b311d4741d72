package io.openiot.policylang;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The resource patterns of one action and effect, for one resource type, as a character trie over their literal
 * prefixes: a name walks the trie once, meets fully literal patterns as terminal nodes and tests only the wildcard
 * patterns whose literal prefix it shares. Lookups allocate nothing.
 */
final class ResourceIndex {

    static final ResourceIndex EMPTY = new Builder().build();

    private static final class Node {
        // characters after the key that led here, shared by every pattern below (a path-compressed trie)
        final char[] skip;
        final char[] keys;
        final Node[] children;
        final boolean terminal;
        final Glob[] globs;
        final int[] offsets;

        Node(char[] skip, char[] keys, Node[] children, boolean terminal, Glob[] globs, int[] offsets) {
            this.skip = skip;
            this.keys = keys;
            this.children = children;
            this.terminal = terminal;
            this.globs = globs;
            this.offsets = offsets;
        }

        Node child(char c) {
            int i = Arrays.binarySearch(keys, c);
            return i < 0 ? null : children[i];
        }
    }

    private final boolean matchAll;
    private final Node root;

    private ResourceIndex(boolean matchAll, Node root) {
        this.matchAll = matchAll;
        this.root = root;
    }

    /** Whether a pattern matches {@code s} from {@code from} to its end. */
    boolean matches(String s, int from) {
        if (matchAll) {
            return true;
        }
        Node node = root;
        int i = from;
        int length = s.length();
        while (true) {
            Glob[] globs = node.globs;
            for (int g = 0; g < globs.length; g++) {
                if (Glob.matches(globs[g].chars, globs[g].kinds, node.offsets[g], s, i, false)) {
                    return true;
                }
            }
            if (i == length) {
                return node.terminal;
            }
            node = node.child(s.charAt(i));
            if (node == null) {
                return false;
            }
            i++;
            char[] skip = node.skip;
            if (length - i < skip.length) {
                return false;
            }
            for (int k = 0; k < skip.length; k++) {
                if (s.charAt(i + k) != skip[k]) {
                    return false;
                }
            }
            i += skip.length;
        }
    }

    static final class Builder {
        /** A pattern from {@code offset}; its literal prefix (the trie key) ends at {@code keyEnd}. */
        private record Entry(Glob glob, int offset, int keyEnd) {
            int keyLength() {
                return keyEnd - offset;
            }

            char keyAt(int i) {
                return glob.chars[offset + i];
            }

            boolean isTerminal() {
                return keyEnd == glob.chars.length;
            }
        }

        private static final Comparator<Entry> BY_KEY = (a, b) -> {
            int n = Math.min(a.keyLength(), b.keyLength());
            for (int i = 0; i < n; i++) {
                int c = Character.compare(a.keyAt(i), b.keyAt(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a.keyLength(), b.keyLength());
        };

        private final List<Entry> entries = new ArrayList<>();
        private boolean matchAll;

        /** Adds the pattern {@code glob} from position {@code from} on. */
        Builder add(Glob glob, int from) {
            int keyEnd = from;
            while (keyEnd < glob.chars.length && glob.kinds[keyEnd] == Glob.LITERAL) {
                keyEnd++;
            }
            if (keyEnd == from && keyEnd == glob.chars.length - 1 && glob.kinds[keyEnd] == Glob.STAR) {
                matchAll = true;
            } else {
                entries.add(new Entry(glob, from, keyEnd));
            }
            return this;
        }

        ResourceIndex build() {
            if (entries.isEmpty() && !matchAll && EMPTY != null) {
                return EMPTY;
            }
            // built from the sorted keys straight into path-compressed nodes: no intermediate trie
            entries.sort(BY_KEY);
            return new ResourceIndex(matchAll, node(0, entries.size(), 0, new char[0]));
        }

        /** The node for {@code entries[from, to)}, which share their first {@code depth} key characters. */
        private Node node(int from, int to, int depth, char[] skip) {
            boolean terminal = false;
            List<Glob> globs = new ArrayList<>();
            List<Integer> offsets = new ArrayList<>();
            int i = from;
            // sorted: the entries whose key ends here come first
            while (i < to && entries.get(i).keyLength() == depth) {
                Entry e = entries.get(i);
                if (e.isTerminal()) {
                    terminal = true;
                } else {
                    globs.add(e.glob());
                    offsets.add(e.keyEnd());
                }
                i++;
            }
            List<Character> keys = new ArrayList<>();
            List<Node> children = new ArrayList<>();
            while (i < to) {
                char c = entries.get(i).keyAt(depth);
                int end = i;
                while (end < to && entries.get(end).keyAt(depth) == c) {
                    end++;
                }
                // compress the run of characters all keys of this group share, up to the shortest key
                int shortest = Integer.MAX_VALUE;
                for (int k = i; k < end; k++) {
                    shortest = Math.min(shortest, entries.get(k).keyLength());
                }
                Entry first = entries.get(i);
                Entry last = entries.get(end - 1);
                int run = 0;
                while (depth + 1 + run < shortest && first.keyAt(depth + 1 + run) == last.keyAt(depth + 1 + run)) {
                    run++;
                }
                char[] childSkip = new char[run];
                for (int k = 0; k < run; k++) {
                    childSkip[k] = first.keyAt(depth + 1 + k);
                }
                keys.add(c);
                children.add(node(i, end, depth + 1 + run, childSkip));
                i = end;
            }
            char[] keyArray = new char[keys.size()];
            for (int k = 0; k < keyArray.length; k++) {
                keyArray[k] = keys.get(k);
            }
            return new Node(skip, keyArray, children.toArray(new Node[0]), terminal, globs.toArray(new Glob[0]),
                    offsets.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
