package io.openiot.shadow.store;

import io.openiot.contracts.IotMessage;
import io.openiot.contracts.MessageIds;
import io.openiot.shadow.document.ShadowDocument;
import io.openiot.shadow.document.ShadowJson;
import io.openiot.shadow.document.ShadowLimits;
import io.openiot.shadow.document.ShadowName;
import io.openiot.shadow.document.ShadowRejection;
import io.openiot.shadow.document.ShadowTopic;
import io.openiot.shadow.document.ShadowTopic.Operation;
import io.openiot.shadow.document.ShadowUpdate;
import io.openiot.shadow.document.UpdateRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and changes shadows for both interfaces. A change, its version row and the messages it publishes
 * ({@code update/accepted}, {@code update/delta}, {@code update/documents}, {@code delete/accepted}) are written in
 * one transaction that holds the shadow's row lock, so concurrent updates of one shadow run one after the other and
 * none is lost; the messages are sent right after the commit (outbox).
 */
@Service
public class ShadowService {

    /** The origin of every message this service publishes. */
    public static final String ORIGIN = "shadow-service";
    /** The "rule" part of derived message ids. */
    static final String ID_SCOPE = "shadow";

    private static final Logger log = LoggerFactory.getLogger(ShadowService.class);

    private final ShadowStore store;
    private final ResponseSender sender;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ShadowLimits limits;

    ShadowService(ShadowStore store, ResponseSender sender, TransactionTemplate transactions, Clock clock,
                  ShadowProperties properties) {
        this.store = store;
        this.sender = sender;
        this.transactions = transactions;
        this.clock = clock;
        this.limits = properties.limits();
    }

    /** What a change produced: the messages to send and the body of the REST answer (or the rejection). */
    private record Change(List<IotMessage> messages, ObjectNode body, ShadowRejection rejection,
                          boolean alreadyApplied) {
    }

    /**
     * Applies one MQTT request from {@code iot.messages} (once, even when Kafka redelivers it) and returns the
     * responses to send, in order; {@link #send} sends them. Bad requests get their {@code .../rejected} response;
     * only failures of the database escape, for the caller to retry.
     */
    public List<IotMessage> apply(IotMessage request, ShadowTopic topic) {
        ShadowName name = topic.name();
        Operation operation = topic.operation();
        String requestId = request.messageId();
        long nowMs = clock.millis();
        try {
            Change change = switch (operation) {
                case UPDATE -> update(name, request.payload(), requestId, request, true);
                case DELETE -> delete(name, request.payload(), requestId, request, true);
                case GET -> {
                    String token = UpdateRequest.clientTokenOf(request.payload(), limits);
                    yield new Change(List.of(message(ShadowTopic.accepted(name, operation), get(name, token),
                            requestId, request, nowMs)), null, null, false);
                }
            };
            if (change.rejection() != null) {
                throw change.rejection();
            }
            return change.alreadyApplied()
                    ? store.outboxOf(requestId).stream().map(ShadowStore.OutboxEntry::message).toList()
                    : change.messages();
        } catch (ShadowRejection rejection) {
            return List.of(message(ShadowTopic.rejected(name, operation),
                    ShadowUpdate.rejected(rejection, nowMs / 1000), requestId, request, nowMs));
        }
    }

    /** The {@code 500 Internal service failure} answer to a request that failed for an unforeseen reason. */
    public IotMessage internalFailure(IotMessage request, ShadowTopic topic) {
        long nowMs = clock.millis();
        ShadowRejection failure = new ShadowRejection(500, ShadowRejection.INTERNAL_FAILURE,
                UpdateRequest.clientTokenOf(request.payload(), limits));
        return message(ShadowTopic.rejected(topic.name(), topic.operation()),
                ShadowUpdate.rejected(failure, nowMs / 1000), request.messageId(), request, nowMs);
    }

    /**
     * Sends the responses of a batch of requests in one go and then clears those requests' outbox rows.
     *
     * @throws ResponsesNotSentException when Kafka did not take them; the requests may be applied again (they are
     *                                   recognised) and their responses sent again with the same ids
     */
    public void send(List<IotMessage> responses, List<String> requestIds) {
        if (!responses.isEmpty()) {
            sender.send(responses);
        }
        store.removeOutboxOfRequests(requestIds);
    }

    /** REST update: the {@code update/accepted} document; the messages go to MQTT subscribers as for MQTT. */
    public ObjectNode update(ShadowName name, byte[] payload) {
        String requestId = MessageIds.newEntryId();
        Change change = update(name, payload, requestId, null, false);
        if (change.rejection() != null) {
            throw change.rejection();
        }
        sendCommitted(requestId, change.messages());
        return change.body();
    }

    /** REST delete: the {@code delete/accepted} document, also published on {@code .../delete/accepted}. */
    public ObjectNode delete(ShadowName name) {
        String requestId = MessageIds.newEntryId();
        Change change = delete(name, new byte[0], requestId, null, false);
        if (change.rejection() != null) {
            throw change.rejection();
        }
        sendCommitted(requestId, change.messages());
        return change.body();
    }

    /** The {@code get/accepted} document. */
    public ObjectNode get(ShadowName name, String clientToken) {
        ShadowDocument document = store.find(name).map(ShadowStore.StoredShadow::document)
                .orElseThrow(() -> ShadowRejection.notFound(name, clientToken));
        if (document == null) {
            throw ShadowRejection.notFound(name, clientToken);
        }
        return document.getResponse(clock.instant().getEpochSecond(), clientToken);
    }

    /** The shadow as it was at {@code version}, as a get document with that version's state, metadata and time. */
    public ObjectNode getVersion(ShadowName name, long version) {
        Optional<ShadowDocument> stored = store.version(name, version);
        if (stored.isEmpty()) {
            stored = store.find(name).map(ShadowStore.StoredShadow::document)
                    .filter(d -> d != null && d.version() == version);
        }
        ShadowDocument document = stored.orElseThrow(() -> new ShadowRejection(404,
                "No version " + version + " of shadow '" + displayName(name) + "'", null));
        return document.getResponse(document.timestamp(), null);
    }

    /** A page of named shadows in name order and the name to continue after, or {@code null} at the end. */
    public record NamePage(List<String> names, String lastName) {
    }

    public NamePage namedShadows(String thing, String after, int pageSize) {
        ShadowName.classic(thing);
        List<String> names = store.namedShadows(thing, after, pageSize + 1);
        if (names.size() > pageSize) {
            return new NamePage(names.subList(0, pageSize), names.get(pageSize - 1));
        }
        return new NamePage(names, null);
    }

    /** A page of kept versions, oldest first, and the version to continue after, or {@code null} at the end. */
    public record VersionPage(List<ObjectNode> versions, Long lastVersion) {
    }

    public VersionPage history(ShadowName name, long from, long to, long after, int limit) {
        List<ShadowDocument> documents = store.versions(name, from, to, after, limit + 1);
        List<ObjectNode> page = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, documents.size()); i++) {
            page.add(documents.get(i).toStoredJson());
        }
        Long last = documents.size() > limit ? documents.get(limit - 1).version() : null;
        return new VersionPage(page, last);
    }

    private Change update(ShadowName name, byte[] payload, String requestId, IotMessage cause, boolean recordRequest) {
        UpdateRequest request;
        try {
            request = UpdateRequest.parse(payload, limits);
        } catch (ShadowRejection e) {
            return new Change(List.of(), null, e, false);
        }
        return transactions.execute(status -> {
            Optional<ShadowStore.StoredShadow> locked = store.lock(name);
            if (locked.isEmpty()) {
                store.ensureRow(name);
                locked = store.lock(name);
            }
            ShadowStore.StoredShadow current = locked.orElseThrow();
            Instant now = clock.instant();
            if (recordRequest && !store.recordRequest(requestId, name, now)) {
                return new Change(List.of(), null, null, true);
            }
            ShadowUpdate update;
            try {
                update = ShadowUpdate.apply(current.document(), current.version(), request, now.getEpochSecond(),
                        limits);
            } catch (ShadowRejection e) {
                status.setRollbackOnly();
                return new Change(List.of(), null, e, false);
            }
            store.save(name, update.document());
            store.addVersion(name, update.document(), now);
            long nowMs = now.toEpochMilli();
            List<IotMessage> messages = new ArrayList<>(3);
            messages.add(message(ShadowTopic.accepted(name, Operation.UPDATE), update.accepted(), requestId, cause,
                    nowMs));
            if (update.delta() != null) {
                messages.add(message(ShadowTopic.delta(name), update.delta(), requestId, cause, nowMs));
            }
            messages.add(message(ShadowTopic.documents(name), update.documents(), requestId, cause, nowMs));
            store.addToOutbox(requestId, messages, now);
            return new Change(messages, update.accepted(), null, false);
        });
    }

    private Change delete(ShadowName name, byte[] payload, String requestId, IotMessage cause, boolean recordRequest) {
        String clientToken = UpdateRequest.clientTokenOf(payload, limits);
        return transactions.execute(status -> {
            Optional<ShadowStore.StoredShadow> current = store.lock(name);
            Instant now = clock.instant();
            if (recordRequest && !store.recordRequest(requestId, name, now)) {
                return new Change(List.of(), null, null, true);
            }
            if (current.isEmpty() || !current.get().exists()) {
                status.setRollbackOnly();
                return new Change(List.of(), null, ShadowRejection.notFound(name, clientToken), false);
            }
            store.markDeleted(name);
            ObjectNode accepted = ShadowUpdate.deleteAccepted(current.get().version(), now.getEpochSecond(),
                    clientToken);
            List<IotMessage> messages = List.of(message(ShadowTopic.accepted(name, Operation.DELETE), accepted,
                    requestId, cause, now.toEpochMilli()));
            store.addToOutbox(requestId, messages, now);
            return new Change(messages, accepted, null, false);
        });
    }

    /**
     * Sends committed messages and removes them from the outbox. When Kafka does not take them now, they stay in the
     * outbox for the relay: the change itself is done and must not be reported as failed.
     */
    private void sendCommitted(String requestId, List<IotMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        try {
            sender.send(messages);
        } catch (ResponsesNotSentException e) {
            log.warn("Responses to request {} stay in the outbox for the relay: {}", requestId, e.getMessage());
            return;
        }
        store.removeOutboxOfRequests(List.of(requestId));
    }

    /** Sends what a crash or a Kafka outage left in the outbox; returns how many messages went out. */
    int relayOutbox(Instant olderThan) {
        List<ShadowStore.OutboxEntry> entries = store.outboxOlderThan(olderThan, 500);
        if (entries.isEmpty()) {
            return 0;
        }
        sender.send(entries.stream().map(ShadowStore.OutboxEntry::message).toList());
        store.removeFromOutbox(entries.stream().map(ShadowStore.OutboxEntry::id).toList());
        return entries.size();
    }

    private static IotMessage message(String topic, ObjectNode payload, String requestId, IotMessage cause,
                                      long nowMs) {
        return IotMessage.republished(topic, ShadowJson.bytes(payload), 1, ORIGIN, cause, nowMs,
                MessageIds.derived(requestId, ID_SCOPE, topic));
    }

    private static String displayName(ShadowName name) {
        return name.isClassic() ? name.thing() : name.shadow();
    }
}
