package io.openiot.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers answers for a short while, so a device reconnecting in a loop (or a fleet reconnecting after a gateway
 * restart) does not turn into one policy-service call per attempt. Unknown certificates are remembered too.
 * Security events make it forget; an answer fetched while a forget happened is not kept, as it may predate the change.
 */
final class CachingPrincipalDirectory implements PrincipalDirectory {

    private static final int MAX_ENTRIES = 100_000;

    private final PrincipalDirectory delegate;
    private final Duration ttl;
    private final Clock clock;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong forgets = new AtomicLong();

    private record Entry(Optional<Principal> principal, Instant expires) {
    }

    CachingPrincipalDirectory(PrincipalDirectory delegate, Duration ttl, Clock clock) {
        this.delegate = delegate;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Optional<Principal> find(String certificateId) {
        Instant now = clock.instant();
        Entry entry = entries.get(certificateId);
        if (entry != null && now.isBefore(entry.expires())) {
            return entry.principal();
        }
        long generation = forgets.get();
        Optional<Principal> principal = delegate.find(certificateId);
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(e -> !now.isBefore(e.expires()));
        }
        if (entries.size() < MAX_ENTRIES && !ttl.isZero()) {
            entries.put(certificateId, new Entry(principal, now.plus(ttl)));
            if (forgets.get() != generation) {
                entries.remove(certificateId); // a change arrived while we asked: the answer may be older than it
            }
        }
        return principal;
    }

    @Override
    public void forget(String certificateId) {
        forgets.incrementAndGet();
        entries.remove(certificateId);
    }

    @Override
    public void forgetAll() {
        forgets.incrementAndGet();
        entries.clear();
    }
}
