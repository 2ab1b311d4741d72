package io.openiot.rules.engine;

import io.openiot.rules.action.ActionParser;
import io.openiot.rules.action.RuleAction;
import io.openiot.rules.sql.SqlParser;
import io.openiot.rules.sql.SqlVersion;
import io.openiot.rules.sql.TopicFilterIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The enabled rules, compiled, in an immutable index that message threads read without locking. Reloaded after every
 * change through this replica's API, and whenever the database's {@link RuleSource#fingerprint()} (checked every
 * {@link EngineProperties#refreshInterval()}, 1 s by default) differs from the loaded one, so that changes made
 * through other replicas arrive within about that interval. Loaded before the Kafka bindings start (lowest lifecycle phase).
 */
@Component
public class RuleSnapshot implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RuleSnapshot.class);

    private final RuleSource source;
    private final EngineProperties properties;
    private final AtomicReference<TopicFilterIndex<CompiledRule>> index =
            new AtomicReference<>(TopicFilterIndex.of(List.of(), CompiledRule::topicFilter));
    private final AtomicReference<Map<String, CompiledRule>> byName = new AtomicReference<>(Map.of());
    /** Compiled rules by name, reused while their {@code updatedAt} is unchanged. */
    private final Map<String, Compiled> cache = new HashMap<>();
    /** Definitions that did not compile, so that each is reported once, not on every refresh. */
    private final Map<String, RuleSource.RuleDefinition> failed = new HashMap<>();
    private ScheduledExecutorService scheduler;
    /** {@link RuleSource#fingerprint()} as of the last load; read before the rules, so a change in between reloads. */
    private volatile String loaded;

    private record Compiled(RuleSource.RuleDefinition definition, CompiledRule rule) {
    }

    RuleSnapshot(RuleSource source, EngineProperties properties) {
        this.source = source;
        this.properties = properties;
    }

    /** The rules whose FROM matches the topic (rules without FROM run only through Basic Ingest). */
    List<CompiledRule> matching(String topic) {
        return index.get().matching(topic);
    }

    /**
     * The rules a message on this MQTT topic runs: those whose FROM matches, or for a Basic Ingest topic
     * ({@code $aws/rules/<ruleName>/...}) that rule alone, whatever its FROM says.
     */
    List<CompiledRule> rulesFor(String topic) {
        String ruleName = BasicIngest.ruleName(topic);
        if (ruleName == null) {
            return index.get().matching(topic);
        }
        CompiledRule rule = byName.get().get(ruleName);
        return rule == null ? List.of() : List.of(rule);
    }

    /** Whether a message on this MQTT topic would run any rule: decided from the topic alone. */
    boolean anyRuleFor(String topic) {
        String ruleName = BasicIngest.ruleName(topic);
        return ruleName == null ? index.get().matchesAny(topic) : byName.get().containsKey(ruleName);
    }

    int size() {
        return index.get().size();
    }

    /** Reloads the enabled rules now. */
    public synchronized void refresh() {
        String fingerprint = source.fingerprint();
        List<RuleSource.RuleDefinition> definitions = source.enabledRules();
        loaded = fingerprint;
        Map<String, Compiled> next = new HashMap<>();
        List<CompiledRule> rules = new ArrayList<>(definitions.size());
        for (RuleSource.RuleDefinition definition : definitions) {
            Compiled known = cache.get(definition.name());
            if (known == null || !known.definition().equals(definition)) {
                try {
                    known = new Compiled(definition, new CompiledRule(definition.name(),
                            SqlParser.parseQuery(definition.sql(), SqlVersion.of(definition.sqlVersion())),
                            ActionParser.parseAll(definition.actions()),
                            errorAction(definition)));
                    failed.remove(definition.name());
                } catch (RuntimeException e) {
                    // validated when stored; only a dialect change could get here, and one bad rule must not stop the rest
                    if (!definition.equals(failed.put(definition.name(), definition))) {
                        log.error("Rule {} cannot be compiled and does not run: {}", definition.name(),
                                e.getMessage());
                    }
                    continue;
                }
            }
            next.put(definition.name(), known);
            rules.add(known.rule());
        }
        cache.clear();
        cache.putAll(next);
        failed.keySet().removeIf(name -> definitions.stream().noneMatch(d -> d.name().equals(name)));
        // a trie: the cost of a message follows the rules that match it, not how many rules there are
        index.set(TopicFilterIndex.of(rules, CompiledRule::topicFilter));
        byName.set(Map.copyOf(rules.stream().collect(Collectors.toMap(CompiledRule::name, rule -> rule))));
    }

    private static RuleAction errorAction(RuleSource.RuleDefinition definition) {
        JsonNode node = definition.errorAction();
        return node == null || node.isNull() || node.isMissingNode() ? null : ActionParser.parse(node, "errorAction");
    }

    /** The enabled rule of that name, as the engine runs it now. */
    Optional<CompiledRule> rule(String name) {
        return Optional.ofNullable(byName.get().get(name));
    }

    @Override
    public void start() {
        refresh();
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "rules-snapshot-refresh");
            thread.setDaemon(true);
            return thread;
        });
        long period = properties.refreshInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::refreshIfChanged, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Reloads now, keeping the previous rules if that fails: after an API write, which is stored whatever happens
     * here, and on every refresh interval.
     */
    public void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("Reloading the rules failed; the previous rules stay active: {}", e.getMessage());
        }
    }

    /** The periodic check: one cheap query, and a reload only when another replica (or this one) changed a rule. */
    void refreshIfChanged() {
        try {
            if (!source.fingerprint().equals(loaded)) {
                refresh();
            }
        } catch (RuntimeException e) {
            log.warn("Reloading the rules failed; the previous rules stay active: {}", e.getMessage());
        }
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
