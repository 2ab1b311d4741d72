package io.openiot.rules.rule;

import io.openiot.rules.engine.RuleSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/** Creates, reads, lists, replaces, enables, disables and deletes rules; every change reloads this replica's engine at once. */
@Service
class RuleService {

    static final int MAX_RESULTS_LIMIT = 10_000;
    static final int DEFAULT_MAX_RESULTS = 1_000;
    private static final Pattern RULE_NAME = Pattern.compile("^[a-zA-Z0-9_]{1,128}$");

    private final RuleRepository repository;
    private final RuleSnapshot snapshot;
    private final ArnProperties arn;
    private final JsonMapper json;
    private final Clock clock;

    RuleService(RuleRepository repository, RuleSnapshot snapshot, ArnProperties arn, JsonMapper json, Clock clock) {
        this.repository = repository;
        this.snapshot = snapshot;
        this.arn = arn;
        this.json = json;
        this.clock = clock;
    }

    void create(String ruleName, byte[] body) {
        checkName(ruleName);
        TopicRulePayload payload = TopicRulePayload.read(body, json);
        // PostgreSQL keeps microseconds; truncating makes what is returned equal what is stored
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        StoredRule rule = new StoredRule(ruleName, payload.sql(), payload.topicFilter(),
                payload.awsIotSqlVersion(), payload.description(), payload.ruleDisabled(), payload.toJson(), now, now);
        if (!repository.insert(rule)) {
            throw new Exceptions.RuleAlreadyExistsException(ruleName);
        }
        snapshot.refreshQuietly();
    }

    /** ReplaceTopicRule: the whole payload is replaced; the creation time stays. */
    void replace(String ruleName, byte[] body) {
        checkName(ruleName);
        TopicRulePayload payload = TopicRulePayload.read(body, json);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        StoredRule rule = new StoredRule(ruleName, payload.sql(), payload.topicFilter(), payload.awsIotSqlVersion(),
                payload.description(), payload.ruleDisabled(), payload.toJson(), now, now);
        if (!repository.replace(rule)) {
            throw new Exceptions.RuleNotFoundException(ruleName);
        }
        snapshot.refreshQuietly();
    }

    /** EnableTopicRule (false) and DisableTopicRule (true). */
    void setDisabled(String ruleName, boolean disabled) {
        checkName(ruleName);
        if (!repository.setDisabled(ruleName, disabled, clock.instant().truncatedTo(ChronoUnit.MILLIS))) {
            throw new Exceptions.RuleNotFoundException(ruleName);
        }
        snapshot.refreshQuietly();
    }

    RuleViews.GetTopicRuleResponse get(String ruleName) {
        checkName(ruleName);
        StoredRule rule = repository.find(ruleName)
                .orElseThrow(() -> new Exceptions.RuleNotFoundException(ruleName));
        var payload = rule.payload();
        return new RuleViews.GetTopicRuleResponse(arn.ruleArn(rule.ruleName()), new RuleViews.TopicRule(
                rule.ruleName(), rule.sql(), rule.description() == null ? "" : rule.description(),
                RuleViews.epochSeconds(rule.createdAt()), payload.get("actions"), rule.ruleDisabled(),
                rule.awsIotSqlVersion(), payload.get("errorAction")));
    }

    RuleViews.ListTopicRulesResponse list(Integer maxResults, String nextToken, String topic, Boolean ruleDisabled) {
        int limit = maxResults == null ? DEFAULT_MAX_RESULTS : maxResults;
        if (limit < 1 || limit > MAX_RESULTS_LIMIT) {
            throw new Exceptions.InvalidRequestException("maxResults must be between 1 and " + MAX_RESULTS_LIMIT);
        }
        String after = nextToken == null || nextToken.isEmpty() ? null : decodeToken(nextToken);
        List<StoredRule> page = repository.list(after, limit + 1, topic, ruleDisabled);
        boolean more = page.size() > limit;
        List<StoredRule> rules = more ? page.subList(0, limit) : page;
        String token = more ? encodeToken(rules.get(rules.size() - 1).ruleName()) : null;
        return new RuleViews.ListTopicRulesResponse(rules.stream()
                .map(rule -> new RuleViews.TopicRuleListItem(arn.ruleArn(rule.ruleName()), rule.ruleName(),
                        rule.topicFilter(), RuleViews.epochSeconds(rule.createdAt()), rule.ruleDisabled()))
                .toList(), token);
    }

    void delete(String ruleName) {
        checkName(ruleName);
        if (!repository.delete(ruleName)) {
            throw new Exceptions.RuleNotFoundException(ruleName);
        }
        snapshot.refreshQuietly();
    }

    private static void checkName(String ruleName) {
        if (ruleName == null || !RULE_NAME.matcher(ruleName).matches()) {
            throw new Exceptions.InvalidRequestException(
                    "ruleName must be 1-128 characters matching ^[a-zA-Z0-9_]+$");
        }
    }

    /** The token is the last name of the page, opaque to clients. */
    private static String encodeToken(String lastName) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            String name = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (RULE_NAME.matcher(name).matches()) {
                return name;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new Exceptions.InvalidRequestException("nextToken is not valid");
    }
}
