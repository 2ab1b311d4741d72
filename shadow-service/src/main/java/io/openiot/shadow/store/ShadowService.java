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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    /** One MQTT request of a batch: the record rebuilt as a message, and the shadow topic it was sent to. */
    public record Request(IotMessage message, ShadowTopic topic) {
    }

    /**
     * A request to apply. {@code invalid} is set when it was rejected before reaching the database; {@code record}
     * marks MQTT requests, whose id is remembered so that a redelivery is not applied twice.
     */
    private record Op(ShadowName name, Operation operation, UpdateRequest update, ShadowRejection invalid,
                      String clientToken, String requestId, IotMessage cause, boolean record) {
    }

    /** What one request produced: the messages to send and the body of the answer, or its rejection. */
    private record Outcome(List<IotMessage> messages, ObjectNode body, ShadowRejection rejection) {
        static Outcome rejected(ShadowRejection rejection) {
            return new Outcome(List.of(), null, rejection);
        }
    }

    /** What the transaction knows of one shadow of the batch while it applies the batch's requests in order. */
    private static final class Current {
        long version;
        ShadowDocument document;
        final boolean placeholder;
        boolean changed;

        Current(ShadowStore.StoredShadow stored) {
            this.version = stored == null ? 0 : stored.version();
            this.document = stored == null ? null : stored.document();
            this.placeholder = stored != null && stored.version() == 0 && stored.document() == null;
        }
    }

    /**
     * Applies one MQTT request from {@code iot.messages} (once, even when Kafka redelivers it) and returns the
     * responses to send, in order; {@link #send} sends them.
     */
    public List<IotMessage> apply(IotMessage request, ShadowTopic topic) {
        return applyAll(List.of(new Request(request, topic)));
    }

    /**
     * Applies a poll's MQTT requests in their order in ONE transaction: every shadow they touch is locked once, the
     * changes of one shadow are applied one after the other in memory, and the shadows, version rows, request ids
     * and outbox rows are written in JDBC batches before one commit. Returns the responses of all requests, in
     * order; {@link #send} sends them. A redelivered update or delete (its message id is in {@code shadow_request})
     * is not applied again: its responses come from the outbox, with the same ids. Bad requests get their
     * {@code .../rejected} response and an unforeseen error of the domain code a 500; only failures of the
     * database escape, for the caller to retry (the whole batch rolls back, so a retry starts afresh).
     */
    public List<IotMessage> applyAll(List<Request> requests) {
        List<Op> ops = new ArrayList<>(requests.size());
        for (Request request : requests) {
            ops.add(mqttOp(request.message(), request.topic()));
        }
        List<Outcome> outcomes = change(ops);
        long nowMs = clock.millis();
        List<IotMessage> responses = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            Outcome outcome = outcomes.get(i);
            if (outcome.rejection() != null) {
                responses.add(message(ShadowTopic.rejected(op.name(), op.operation()),
                        ShadowUpdate.rejected(outcome.rejection(), nowMs / 1000), op.requestId(), op.cause(), nowMs));
            } else {
                responses.addAll(outcome.messages());
            }
        }
        return responses;
    }

    private Op mqttOp(IotMessage request, ShadowTopic topic) {
        String requestId = request.messageId();
        UpdateRequest update = null;
        ShadowRejection invalid = null;
        String token = null;
        try {
            if (topic.operation() == Operation.UPDATE) {
                update = UpdateRequest.parse(request.payload(), limits);
                token = update.clientToken();
            } else {
                token = UpdateRequest.clientTokenOf(request.payload(), limits);
            }
        } catch (ShadowRejection e) {
            invalid = e;
        }
        return new Op(topic.name(), topic.operation(), update, invalid, token, requestId, request, true);
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
        UpdateRequest request = UpdateRequest.parse(payload, limits);
        Outcome outcome = change(List.of(new Op(name, Operation.UPDATE, request, null, request.clientToken(),
                requestId, null, false))).get(0);
        if (outcome.rejection() != null) {
            throw outcome.rejection();
        }
        sendCommitted(requestId, outcome.messages());
        return outcome.body();
    }

    /** REST delete: the {@code delete/accepted} document, also published on {@code .../delete/accepted}. */
    public ObjectNode delete(ShadowName name) {
        String requestId = MessageIds.newEntryId();
        Outcome outcome = change(List.of(new Op(name, Operation.DELETE, null, null, null, requestId, null, false)))
                .get(0);
        if (outcome.rejection() != null) {
            throw outcome.rejection();
        }
        sendCommitted(requestId, outcome.messages());
        return outcome.body();
    }

    /** The outcomes of {@code ops}, in order, from one transaction (none when every op was rejected up front). */
    private List<Outcome> change(List<Op> ops) {
        List<Outcome> outcomes = new ArrayList<>(java.util.Collections.nCopies(ops.size(), (Outcome) null));
        List<ShadowName> names = new ArrayList<>();
        List<ShadowName> updated = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            if (op.invalid() != null) {
                outcomes.set(i, Outcome.rejected(op.invalid()));
            } else {
                names.add(op.name());
                if (op.operation() == Operation.UPDATE) {
                    updated.add(op.name());
                }
            }
        }
        if (names.isEmpty()) {
            return outcomes;
        }
        List<ShadowName> shadows = inKeyOrder(names);
        return transactions.execute(status -> {
            Map<ShadowName, ShadowStore.StoredShadow> rows = store.lockAll(shadows);
            // an update needs a row to lock even for a shadow that never existed: concurrent first updates then
            // serialise on it like every later one
            List<ShadowName> missing = inKeyOrder(updated.stream().filter(n -> !rows.containsKey(n)).toList());
            for (int attempt = 0; !missing.isEmpty(); attempt++) {
                if (attempt == 5) {
                    throw new IllegalStateException("could not create the rows of shadows " + missing);
                }
                store.ensureRows(missing);
                rows.putAll(store.lockAll(missing));
                missing = missing.stream().filter(n -> !rows.containsKey(n)).toList();
            }
            Map<ShadowName, Current> current = new HashMap<>();
            shadows.forEach(n -> current.put(n, new Current(rows.get(n))));
            Set<String> appliedBefore = store.appliedRequests(ops.stream()
                    .filter(op -> op.invalid() == null && op.record() && op.operation() != Operation.GET)
                    .map(Op::requestId).distinct().toList());
            Instant now = clock.instant();
            long nowMs = now.toEpochMilli();
            List<ShadowStore.NewVersion> versions = new ArrayList<>();
            List<ShadowStore.AppliedRequest> applied = new ArrayList<>();
            Map<String, List<IotMessage>> outbox = new LinkedHashMap<>();
            List<Integer> redelivered = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                if (op.invalid() != null) {
                    continue;
                }
                String id = op.requestId();
                if (op.record() && op.operation() != Operation.GET) {
                    if (appliedBefore.contains(id)) {
                        redelivered.add(i);
                        continue;
                    }
                    if (outbox.containsKey(id)) { // the same request twice in one batch
                        outcomes.set(i, new Outcome(outbox.get(id), null, null));
                        continue;
                    }
                }
                Current shadow = current.get(op.name());
                try {
                    outcomes.set(i, switch (op.operation()) {
                        case UPDATE -> {
                            ShadowUpdate update = ShadowUpdate.apply(shadow.document, shadow.version, op.update(),
                                    now.getEpochSecond(), limits);
                            shadow.document = update.document();
                            shadow.version = update.document().version();
                            shadow.changed = true;
                            versions.add(new ShadowStore.NewVersion(op.name(), update.document()));
                            List<IotMessage> messages = new ArrayList<>(3);
                            messages.add(message(ShadowTopic.accepted(op.name(), Operation.UPDATE), update.accepted(),
                                    id, op.cause(), nowMs));
                            if (update.delta() != null) {
                                messages.add(message(ShadowTopic.delta(op.name()), update.delta(), id, op.cause(),
                                        nowMs));
                            }
                            messages.add(message(ShadowTopic.documents(op.name()), update.documents(), id,
                                    op.cause(), nowMs));
                            yield changed(op, messages, update.accepted(), outbox, applied);
                        }
                        case DELETE -> {
                            if (shadow.document == null) {
                                throw ShadowRejection.notFound(op.name(), op.clientToken());
                            }
                            shadow.document = null;
                            shadow.changed = true;
                            ObjectNode accepted = ShadowUpdate.deleteAccepted(shadow.version, now.getEpochSecond(),
                                    op.clientToken());
                            yield changed(op, List.of(message(ShadowTopic.accepted(op.name(), Operation.DELETE),
                                    accepted, id, op.cause(), nowMs)), accepted, outbox, applied);
                        }
                        case GET -> {
                            if (shadow.document == null) {
                                throw ShadowRejection.notFound(op.name(), op.clientToken());
                            }
                            ObjectNode document = shadow.document.getResponse(now.getEpochSecond(), op.clientToken());
                            yield new Outcome(List.of(message(ShadowTopic.accepted(op.name(), Operation.GET),
                                    document, id, op.cause(), nowMs)), document, null);
                        }
                    });
                } catch (ShadowRejection rejection) {
                    outcomes.set(i, Outcome.rejected(rejection));
                } catch (RuntimeException e) {
                    if (op.cause() == null) {
                        throw e;
                    }
                    // a bug in the domain code for this one request: it wrote nothing, the others go on
                    log.error("Shadow request {} on {} failed", id, op.cause().topic(), e);
                    outcomes.set(i, Outcome.rejected(new ShadowRejection(500, ShadowRejection.INTERNAL_FAILURE,
                            op.clientToken())));
                }
            }
            List<ShadowStore.Saved> saved = new ArrayList<>();
            List<ShadowName> unused = new ArrayList<>();
            for (ShadowName name : shadows) {
                Current shadow = current.get(name);
                if (shadow.changed) {
                    saved.add(new ShadowStore.Saved(name, shadow.version, shadow.document));
                } else if (shadow.placeholder) {
                    unused.add(name); // a rejected first update leaves no trace
                }
            }
            store.saveAll(saved);
            store.addVersions(versions, now);
            store.recordRequests(applied, now);
            store.addAllToOutbox(outbox, now);
            if (!unused.isEmpty()) {
                store.removeUnusedRows(unused);
            }
            if (!redelivered.isEmpty()) {
                Map<String, List<IotMessage>> unsent = store.outboxOfAll(redelivered.stream()
                        .map(i -> ops.get(i).requestId()).distinct().toList());
                for (int i : redelivered) {
                    outcomes.set(i, new Outcome(unsent.getOrDefault(ops.get(i).requestId(), List.of()), null, null));
                }
            }
            return outcomes;
        });
    }

    private static Outcome changed(Op op, List<IotMessage> messages, ObjectNode body,
                                   Map<String, List<IotMessage>> outbox, List<ShadowStore.AppliedRequest> applied) {
        outbox.put(op.requestId(), messages);
        if (op.record()) {
            applied.add(new ShadowStore.AppliedRequest(op.requestId(), op.name()));
        }
        return new Outcome(messages, body, null);
    }

    /** Distinct names in the order the row locks are taken ({@link ShadowStore#lockAll}: byte order). */
    private static List<ShadowName> inKeyOrder(List<ShadowName> names) {
        return names.stream().distinct().sorted(java.util.Comparator.comparing(ShadowName::thing)
                .thenComparing(ShadowName::shadow)).toList();
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
