package io.openiot.shadow.document;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A shadow as stored: the {@code desired} and {@code reported} sections (either may be absent), their metadata
 * ({@code {"timestamp":s}} in place of every leaf; an array is one leaf), the version and the time of the last update
 * in epoch seconds. {@code delta} is never stored; it is computed from the two sections.
 *
 * <p>The JSON nodes are owned by the document: callers get copies and never change them.
 */
public final class ShadowDocument {

    private final ObjectNode desired;
    private final ObjectNode reported;
    private final ObjectNode desiredMetadata;
    private final ObjectNode reportedMetadata;
    private final long version;
    private final long timestamp;

    ShadowDocument(ObjectNode desired, ObjectNode reported, ObjectNode desiredMetadata, ObjectNode reportedMetadata,
                   long version, long timestamp) {
        this.desired = desired;
        this.reported = reported;
        this.desiredMetadata = desired == null ? null : orEmpty(desiredMetadata);
        this.reportedMetadata = reported == null ? null : orEmpty(reportedMetadata);
        this.version = version;
        this.timestamp = timestamp;
    }

    /** Rebuilds a document from its stored {@code state} and {@code metadata} objects. */
    public static ShadowDocument of(JsonNode state, JsonNode metadata, long version, long timestamp) {
        return new ShadowDocument(section(state, UpdateRequest.DESIRED), section(state, UpdateRequest.REPORTED),
                section(metadata, UpdateRequest.DESIRED), section(metadata, UpdateRequest.REPORTED), version,
                timestamp);
    }

    /** Rebuilds a document from {@link #toStoredJson()}. */
    public static ShadowDocument fromStoredJson(JsonNode stored) {
        return of(stored.get("state"), stored.get("metadata"), stored.path("version").asLong(),
                stored.path("timestamp").asLong());
    }

    public long version() {
        return version;
    }

    public long timestamp() {
        return timestamp;
    }

    /** {@code {"desired"?,"reported"?}}: what the database's {@code state} column holds. */
    public ObjectNode state() {
        return sections(desired, reported);
    }

    /** {@code {"desired"?,"reported"?}} of timestamps, mirroring {@link #state()}. */
    public ObjectNode metadata() {
        return sections(desiredMetadata, reportedMetadata);
    }

    /** {@code {"state","metadata","version","timestamp"}}: one row of the history. */
    public ObjectNode toStoredJson() {
        ObjectNode stored = ShadowJson.object();
        stored.set("state", state());
        stored.set("metadata", metadata());
        stored.put("version", version);
        stored.put("timestamp", timestamp);
        return stored;
    }

    /** Every desired value that differs from reported, with its full path; {@code null} when there is none. */
    public ObjectNode delta() {
        return Delta.of(desired, reported);
    }

    /** The {@code get/accepted} document (also the REST GET body): state with delta, metadata, version, timestamp. */
    public ObjectNode getResponse(long nowSeconds, String clientToken) {
        ObjectNode response = ShadowJson.object();
        ObjectNode state = state();
        ObjectNode delta = delta();
        if (delta != null) {
            state.set("delta", delta);
        }
        response.set("state", state);
        response.set("metadata", metadata());
        response.put("version", version);
        response.put("timestamp", nowSeconds);
        if (clientToken != null) {
            response.put("clientToken", clientToken);
        }
        return response;
    }

    /** {@code previous} and {@code current} of {@code update/documents}: state, metadata and version. */
    ObjectNode snapshot() {
        ObjectNode snapshot = ShadowJson.object();
        snapshot.set("state", state());
        snapshot.set("metadata", metadata());
        snapshot.put("version", version);
        return snapshot;
    }

    ObjectNode desired() {
        return desired == null ? null : desired.deepCopy();
    }

    ObjectNode reported() {
        return reported == null ? null : reported.deepCopy();
    }

    ObjectNode desiredMetadata() {
        return desiredMetadata == null ? null : desiredMetadata.deepCopy();
    }

    ObjectNode reportedMetadata() {
        return reportedMetadata == null ? null : reportedMetadata.deepCopy();
    }

    private static ObjectNode sections(ObjectNode desired, ObjectNode reported) {
        ObjectNode sections = ShadowJson.object();
        if (desired != null) {
            sections.set(UpdateRequest.DESIRED, desired.deepCopy());
        }
        if (reported != null) {
            sections.set(UpdateRequest.REPORTED, reported.deepCopy());
        }
        return sections;
    }

    private static ObjectNode section(JsonNode parent, String name) {
        JsonNode section = parent == null ? null : parent.get(name);
        return section != null && section.isObject() ? ((ObjectNode) section).deepCopy() : null;
    }

    private static ObjectNode orEmpty(ObjectNode node) {
        return node == null ? ShadowJson.object() : node;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShadowDocument d && version == d.version && timestamp == d.timestamp
                && state().equals(d.state()) && metadata().equals(d.metadata());
    }

    @Override
    public int hashCode() {
        return state().hashCode() * 31 + Long.hashCode(version);
    }

    @Override
    public String toString() {
        return ShadowJson.write(toStoredJson());
    }
}
