package io.openiot.policylang;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    private final int size;

    private ResourceIndex(boolean matchAll, Node root, int size) {
        this.matchAll = matchAll;
        this.root = root;
        this.size = size;
    }

    boolean isEmpty() {
        return !matchAll && size == 0;
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
        private static final class MutableNode {
            final Map<Character, MutableNode> children = new TreeMap<>();
            boolean terminal;
            final List<Glob> globs = new ArrayList<>();
            final List<Integer> offsets = new ArrayList<>();
        }

        private final MutableNode root = new MutableNode();
        private boolean matchAll;
        private int size;

        /** Adds the pattern {@code glob} from position {@code from} on. */
        Builder add(Glob glob, int from) {
            size++;
            MutableNode node = root;
            int i = from;
            while (i < glob.chars.length && glob.kinds[i] == Glob.LITERAL) {
                node = node.children.computeIfAbsent(glob.chars[i], c -> new MutableNode());
                i++;
            }
            if (i == glob.chars.length) {
                node.terminal = true;
            } else if (node == root && i == glob.chars.length - 1 && glob.kinds[i] == Glob.STAR) {
                matchAll = true;
            } else if (!contains(node, glob, i)) {
                node.globs.add(glob);
                node.offsets.add(i);
            }
            return this;
        }

        private static boolean contains(MutableNode node, Glob glob, int offset) {
            for (int g = 0; g < node.globs.size(); g++) {
                if (node.offsets.get(g) == offset && node.globs.get(g).equals(glob)) {
                    return true;
                }
            }
            return false;
        }

        ResourceIndex build() {
            return new ResourceIndex(matchAll, freeze(root, new char[0]), size);
        }

        private static Node freeze(MutableNode node) {
            StringBuilder skip = new StringBuilder();
            while (node != null && node.children.size() == 1 && !node.terminal && node.globs.isEmpty()) {
                Map.Entry<Character, MutableNode> only = node.children.entrySet().iterator().next();
                skip.append(only.getKey().charValue());
                node = only.getValue();
            }
            return freeze(node, skip.toString().toCharArray());
        }

        private static Node freeze(MutableNode node, char[] skip) {
            char[] keys = new char[node.children.size()];
            Node[] children = new Node[keys.length];
            int i = 0;
            for (Map.Entry<Character, MutableNode> child : node.children.entrySet()) {
                keys[i] = child.getKey();
                children[i] = freeze(child.getValue());
                i++;
            }
            return new Node(skip, keys, children, node.terminal, node.globs.toArray(new Glob[0]),
                    node.offsets.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
