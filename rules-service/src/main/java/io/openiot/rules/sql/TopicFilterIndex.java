package io.openiot.rules.sql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Finds the entries whose topic filter matches a topic. Immutable: a new index is built when the rules change.
 * {@link #linear} checks every filter; a trie over the levels can replace it without touching callers.
 */
public interface TopicFilterIndex<T> {

    /** The entries whose filter matches {@code topic}, in the order they were given. */
    List<T> matching(String topic);

    int size();

    static <T> TopicFilterIndex<T> linear(Collection<T> entries, Function<T, TopicFilter> filterOf) {
        List<T> all = List.copyOf(entries);
        List<TopicFilter> filters = all.stream().map(filterOf).toList();
        return new TopicFilterIndex<>() {
            @Override
            public List<T> matching(String topic) {
                List<T> result = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    if (filters.get(i).matches(topic)) {
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
