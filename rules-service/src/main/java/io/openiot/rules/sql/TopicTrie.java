package io.openiot.rules.sql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link TopicFilterIndex} as a trie over topic levels: a lookup costs the topic's depth times the wildcards met,
 * not the number of filters. Same matching rules as {@link TopicFilter#matches}: {@code a/#} matches {@code a/} and
 * deeper levels but not {@code a}; a wildcard in the first level does not match a topic starting with {@code $}.
 */
final class TopicTrie<T> implements TopicFilterIndex<T> {

    private static final int[] NONE = new int[0];

    private static final class Node {
        private final Map<String, Node> children = new HashMap<>();
        private Node plus;
        /** Entries whose filter ends here. */
        private int[] exact = NONE;
        /** Entries whose filter ends with {@code /#} here. */
        private int[] hash = NONE;

        Node child(String level) {
            if (level.equals("+")) {
                if (plus == null) {
                    plus = new Node();
                }
                return plus;
            }
            return children.computeIfAbsent(level, key -> new Node());
        }
    }

    private final List<T> entries;
    private final Node root = new Node();

    TopicTrie(List<T> entries, Function<T, TopicFilter> filterOf) {
        this.entries = entries;
        for (int i = 0; i < entries.size(); i++) {
            TopicFilter filter = filterOf.apply(entries.get(i));
            if (filter != null) {
                add(filter.toString(), i);
            }
        }
    }

    private void add(String filter, int index) {
        Node node = root;
        String[] levels = filter.split("/", -1);
        for (int l = 0; l < levels.length; l++) {
            if (levels[l].equals("#")) {
                node.hash = append(node.hash, index);
                return;
            }
            node = node.child(levels[l]);
        }
        node.exact = append(node.exact, index);
    }

    private static int[] append(int[] array, int value) {
        int[] result = Arrays.copyOf(array, array.length + 1);
        result[array.length] = value;
        return result;
    }

    @Override
    public List<T> matching(String topic) {
        Matches found = new Matches();
        walk(root, topic, 0, true, topic.startsWith("$"), found);
        if (found.size == 0) {
            return List.of();
        }
        int[] indexes = Arrays.copyOf(found.indexes, found.size);
        Arrays.sort(indexes);
        List<T> result = new ArrayList<>(indexes.length);
        for (int index : indexes) {
            result.add(entries.get(index));
        }
        return result;
    }

    /** Matches the level starting at {@code from} (the topic's end is one empty level only when it ends in "/"). */
    private void walk(Node node, String topic, int from, boolean first, boolean system, Matches found) {
        int slash = topic.indexOf('/', from);
        int end = slash < 0 ? topic.length() : slash;
        boolean wildcardsAllowed = !(first && system);
        // "#" here needs at least one more level, which this level is
        if (wildcardsAllowed && node.hash.length > 0) {
            found.addAll(node.hash);
        }
        Node exact = node.children.get(topic.substring(from, end));
        if (exact != null) {
            next(exact, topic, slash, system, found);
        }
        if (wildcardsAllowed && node.plus != null) {
            next(node.plus, topic, slash, system, found);
        }
    }

    private void next(Node node, String topic, int slash, boolean system, Matches found) {
        if (slash < 0) {
            found.addAll(node.exact);
        } else {
            walk(node, topic, slash + 1, false, system, found);
        }
    }

    @Override
    public int size() {
        return entries.size();
    }

    private static final class Matches {
        private int[] indexes = new int[8];
        private int size;

        void addAll(int[] values) {
            if (size + values.length > indexes.length) {
                indexes = Arrays.copyOf(indexes, Math.max(indexes.length * 2, size + values.length));
            }
            System.arraycopy(values, 0, indexes, size, values.length);
            size += values.length;
        }
    }
}
