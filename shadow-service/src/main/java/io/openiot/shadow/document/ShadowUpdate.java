package io.openiot.shadow.document;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One accepted update: the shadow after it and the three documents AWS publishes for it. Objects are merged deeply,
 * a {@code null} value deletes its key, {@code "desired": null} (or {@code "state": null}) clears a section, arrays
 * and other values replace what was there. A section left empty is removed; the shadow itself stays, with its
 * version.
 *
 * @param document  the shadow after the update
 * @param accepted  {@code update/accepted}: only what the request carried, its metadata, version, timestamp,
 *                  clientToken
 * @param delta     {@code update/delta}, or {@code null}: sent only when the request touched {@code desired} and a
 *                  difference remains; same version and timestamp as {@code accepted}
 * @param documents {@code update/documents}: {@code previous} (absent for a new shadow), {@code current},
 *                  timestamp, clientToken
 */
public record ShadowUpdate(ShadowDocument document, ObjectNode accepted, ObjectNode delta, ObjectNode documents) {

    /**
     * Applies a request to a shadow.
     *
     * @param current     the shadow as it is, or {@code null} when it does not exist (never created, or deleted)
     * @param lastVersion the shadow's version counter: its version, the version it had when deleted, or 0
     * @param request     a validated request
     * @param nowSeconds  the update's time, epoch seconds
     * @param limits      the size limit the merged state must keep
     * @throws ShadowRejection 409 when the request names a version other than {@code lastVersion}, 413 when the
     *                         merged state is too large
     */
    public static ShadowUpdate apply(ShadowDocument current, long lastVersion, UpdateRequest request, long nowSeconds,
                                     ShadowLimits limits) {
        if (request.version() != null && request.version() != lastVersion) {
            throw ShadowRejection.versionConflict(request.clientToken());
        }
        ObjectNode desired = current == null ? null : current.desired();
        ObjectNode desiredMeta = current == null ? null : current.desiredMetadata();
        ObjectNode reported = current == null ? null : current.reported();
        ObjectNode reportedMeta = current == null ? null : current.reportedMetadata();
        ObjectNode requestState = request.state();
        ObjectNode acceptedMetadata = ShadowJson.object();

        if (request.desired()) {
            JsonNode section = requestState == null ? null : requestState.get(UpdateRequest.DESIRED);
            if (section == null || section.isNull()) {
                desired = null;
                desiredMeta = null;
            } else {
                desired = desired == null ? ShadowJson.object() : desired;
                desiredMeta = desiredMeta == null ? ShadowJson.object() : desiredMeta;
                merge(desired, desiredMeta, (ObjectNode) section, nowSeconds);
                acceptedMetadata.set(UpdateRequest.DESIRED, requestMetadata((ObjectNode) section, nowSeconds));
            }
        }
        if (request.reported()) {
            JsonNode section = requestState == null ? null : requestState.get(UpdateRequest.REPORTED);
            if (section == null || section.isNull()) {
                reported = null;
                reportedMeta = null;
            } else {
                reported = reported == null ? ShadowJson.object() : reported;
                reportedMeta = reportedMeta == null ? ShadowJson.object() : reportedMeta;
                merge(reported, reportedMeta, (ObjectNode) section, nowSeconds);
                acceptedMetadata.set(UpdateRequest.REPORTED, requestMetadata((ObjectNode) section, nowSeconds));
            }
        }
        if (desired != null && desired.isEmpty()) {
            desired = null;
        }
        if (reported != null && reported.isEmpty()) {
            reported = null;
        }
        long version = lastVersion + 1;
        ShadowDocument updated = new ShadowDocument(desired, reported, desiredMeta, reportedMeta, version,
                nowSeconds);
        if (ShadowJson.utf8Size(updated.state()) > limits.maxStateBytes()) {
            throw new ShadowRejection(413, ShadowRejection.TOO_LARGE, request.clientToken());
        }

        ObjectNode accepted = ShadowJson.object();
        accepted.set("state", requestState == null ? ShadowJson.NODES.nullNode() : requestState.deepCopy());
        accepted.set("metadata", acceptedMetadata);
        accepted.put("version", version);
        accepted.put("timestamp", nowSeconds);
        clientToken(accepted, request.clientToken());

        ObjectNode delta = null;
        ObjectNode deltaState = updated.delta();
        boolean touchedDesired = request.desired() && desired != null;
        if (touchedDesired && deltaState != null) {
            delta = ShadowJson.object();
            delta.put("version", version);
            delta.put("timestamp", nowSeconds);
            delta.set("state", deltaState);
            delta.set("metadata", Delta.metadata(deltaState, desiredMeta));
            clientToken(delta, request.clientToken());
        }

        ObjectNode documents = ShadowJson.object();
        if (current != null) {
            documents.set("previous", current.snapshot());
        }
        documents.set("current", updated.snapshot());
        documents.put("timestamp", nowSeconds);
        clientToken(documents, request.clientToken());
        return new ShadowUpdate(updated, accepted, delta, documents);
    }

    /** The {@code delete/accepted} document: the deleted shadow's version and the time. */
    public static ObjectNode deleteAccepted(long version, long nowSeconds, String clientToken) {
        ObjectNode accepted = ShadowJson.object();
        accepted.put("version", version);
        accepted.put("timestamp", nowSeconds);
        clientToken(accepted, clientToken);
        return accepted;
    }

    /** The {@code .../rejected} document: {@code {"code","message","timestamp","clientToken"?}}. */
    public static ObjectNode rejected(ShadowRejection rejection, long nowSeconds) {
        ObjectNode rejected = ShadowJson.object();
        rejected.put("code", rejection.code());
        rejected.put("message", rejection.getMessage());
        rejected.put("timestamp", nowSeconds);
        clientToken(rejected, rejection.clientToken());
        return rejected;
    }

    private static void merge(ObjectNode target, ObjectNode metadata, ObjectNode update, long now) {
        for (Map.Entry<String, JsonNode> entry : update.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                target.remove(key);
                metadata.remove(key);
            } else if (value.isObject()) {
                JsonNode existing = target.get(key);
                JsonNode existingMeta = metadata.get(key);
                boolean wasObject = existing != null && existing.isObject();
                ObjectNode child = wasObject ? (ObjectNode) existing : ShadowJson.object();
                ObjectNode childMeta = wasObject && existingMeta != null && existingMeta.isObject()
                        ? (ObjectNode) existingMeta : ShadowJson.object();
                merge(child, childMeta, (ObjectNode) value, now);
                target.set(key, child);
                metadata.set(key, childMeta);
            } else {
                target.set(key, value.deepCopy());
                metadata.set(key, ShadowJson.timestamp(now));
            }
        }
    }

    /** Metadata of what a request carried: a timestamp for every leaf it set or deleted. */
    private static ObjectNode requestMetadata(ObjectNode update, long now) {
        ObjectNode metadata = ShadowJson.object();
        for (Map.Entry<String, JsonNode> entry : update.properties()) {
            metadata.set(entry.getKey(), entry.getValue().isObject()
                    ? requestMetadata((ObjectNode) entry.getValue(), now) : ShadowJson.timestamp(now));
        }
        return metadata;
    }

    private static void clientToken(ObjectNode document, String clientToken) {
        if (clientToken != null) {
            document.put("clientToken", clientToken);
        }
    }
}
