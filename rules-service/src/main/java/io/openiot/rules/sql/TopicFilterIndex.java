package io.openiot.rules.sql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Finds the entries whose topic filter matches a topic. Immutable: a new index is built when the rules change.
 * {@link #linear} checks every filter; {@link #trie} walks the topic's levels once, whatever the number of filters.
 * Entries without a filter (statements without FROM) are never matched by a topic.
 */
public interface TopicFilterIndex<T> {

    /** The entries whose filter matches {@code topic}, in the order they were given. */
    List<T> matching(String topic);

    int size();

    /** Whether any entry's filter matches {@code topic}. */
    default boolean matchesAny(String topic) {
        return !matching(topic).isEmpty();
    }

    /** The index the engine should use: a trie over the filters' levels. */
    static <T> TopicFilterIndex<T> of(Collection<T> entries, Function<T, TopicFilter> filterOf) {
        return trie(entries, filterOf);
    }

    static <T> TopicFilterIndex<T> trie(Collection<T> entries, Function<T, TopicFilter> filterOf) {
        return new TopicTrie<>(List.copyOf(entries), filterOf);
    }

    static <T> TopicFilterIndex<T> linear(Collection<T> entries, Function<T, TopicFilter> filterOf) {
        List<T> all = List.copyOf(entries);
        List<TopicFilter> filters = new ArrayList<>(all.size());
        all.forEach(entry -> filters.add(filterOf.apply(entry)));
        return new TopicFilterIndex<>() {
            @Override
            public List<T> matching(String topic) {
                List<T> result = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    if (filters.get(i) != null && filters.get(i).matches(topic)) {
                        result.add(all.get(i));
                    }
                }
                return result;
            }

            @Override
            public int size() {
                return all.size();
            }
        };
    }
}
