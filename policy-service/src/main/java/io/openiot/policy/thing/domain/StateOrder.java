package io.openiot.policy.thing.domain;

import java.util.Objects;

/**
 * Decides whether a registry snapshot of a thing or group is newer than the one stored for the same name. Events of
 * one key arrive in commit order, but a replay, a relay that resends, or an event of another key carrying the same
 * resource (a membership event carries the group) can bring an older state later: that one is ignored.
 *
 * <p>Within one resource (same id) the registry's {@code version} orders states; states with the same version
 * (principal and membership changes do not bump it) are ordered by the event's commit time. A different id means
 * the name was deleted and created again: then only the commit time can tell.
 *
 * @param id        the registry's id of the resource ({@code thingId}, {@code thingGroupId}), or {@code null}
 * @param version   the registry's version of the resource
 * @param timestamp epoch milliseconds at which the change committed
 */
public record StateOrder(String id, long version, long timestamp) {

    /** Whether {@code this} (an incoming state) should replace {@code stored}; {@code stored} may be null. */
    public boolean supersedes(StateOrder stored) {
        if (stored == null) {
            return true;
        }
        if (id == null || stored.id == null || Objects.equals(id, stored.id)) {
            if (version != stored.version) {
                return version > stored.version;
            }
            return timestamp >= stored.timestamp;
        }
        return timestamp >= stored.timestamp;
    }
}
