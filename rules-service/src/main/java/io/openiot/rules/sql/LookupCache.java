package io.openiot.rules.sql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One rule's answers from {@link ExternalData}, kept for the port's {@link ExternalData#cacheTtl()} by the message
 * clock ({@link MessageContext#now()}) and bounded to {@link ExternalData#cacheSize()} entries (least recently used
 * out first). Failures are not kept. Each {@link RuleQuery} has its own, so that a busy rule cannot push out another
 * rule's answers, and a replaced rule starts empty.
 */
final class LookupCache {

    private record Entry(Optional<byte[]> answer, long expiresAt) {
    }

    private final LinkedHashMap<List<Object>, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    /** The port as this rule sees it at {@code now}: answers come from the cache while fresh. */
    ExternalData over(ExternalData port, long now) {
        long ttl = port.cacheTtl().toMillis();
        int size = port.cacheSize();
        if (ttl <= 0 || size <= 0) {
            return port;
        }
        return new ExternalData() {
            @Override
            public Optional<byte[]> thingShadow(String thingName, String shadowName) {
                return get(List.of("shadow", thingName, shadowName == null ? "" : shadowName), now, ttl, size,
                        () -> port.thingShadow(thingName, shadowName));
            }

            @Override
            public Optional<byte[]> item(String tableName, String partitionKey, String sortKey) {
                return get(List.of("item", tableName, partitionKey, sortKey == null ? "" : sortKey), now, ttl, size,
                        () -> port.item(tableName, partitionKey, sortKey));
            }
        };
    }

    private Optional<byte[]> get(List<Object> key, long now, long ttl, int size, Supplier<Optional<byte[]>> load) {
        synchronized (entries) {
            Entry entry = entries.get(key);
            if (entry != null && entry.expiresAt() > now) {
                return entry.answer();
            }
        }
        // loaded outside the lock: a slow service must not hold up the rule's other threads' cache hits
        Optional<byte[]> answer = load.get();
        synchronized (entries) {
            entries.put(key, new Entry(answer, now + ttl));
            while (entries.size() > size) {
                Map.Entry<List<Object>, Entry> eldest = entries.entrySet().iterator().next();
                entries.remove(eldest.getKey());
            }
        }
        return answer;
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
