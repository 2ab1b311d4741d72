package io.openiot.rules.sql;

import java.util.Objects;

/**
 * What an expression can see of one message: its payload and the facts the SQL functions return.
 *
 * @param topic      MQTT topic the message was published to
 * @param clientId   publishing client, or {@code null} when a service published it
 * @param principal  authenticated principal, or {@code null}
 * @param traceId    the message's trace id, or {@code null}
 * @param now        epoch milliseconds at the rules engine ({@code timestamp()})
 * @param payload    the payload
 * @param accountId  the account the rule belongs to ({@code accountid()}), or {@code null}
 * @param sqlVersion the SQL version in force; a {@link RuleQuery} sets its own when it evaluates
 * @param externalData what {@code get_thing_shadow} and {@code get_dynamodb} read; {@link ExternalData#NONE} when
 *                     nothing is configured
 */
public record MessageContext(String topic, String clientId, String principal, String traceId, long now,
                             Payload payload, String accountId, SqlVersion sqlVersion, ExternalData externalData) {

    public MessageContext {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        sqlVersion = sqlVersion == null ? SqlVersion.DEFAULT : sqlVersion;
        externalData = externalData == null ? ExternalData.NONE : externalData;
    }

    /** A context without external lookups. */
    public MessageContext(String topic, String clientId, String principal, String traceId, long now,
                          Payload payload, String accountId, SqlVersion sqlVersion) {
        this(topic, clientId, principal, traceId, now, payload, accountId, sqlVersion, ExternalData.NONE);
    }

    /** The context as it was before account id and SQL version were added: no account, the default version. */
    public MessageContext(String topic, String clientId, String principal, String traceId, long now,
                          Payload payload) {
        this(topic, clientId, principal, traceId, now, payload, null, SqlVersion.DEFAULT);
    }

    /** A context for a JSON or raw payload given as bytes. */
    public static MessageContext of(String topic, String clientId, String traceId, long now, byte[] payload) {
        return new MessageContext(topic, clientId, null, traceId, now, new Payload(payload));
    }

    public MessageContext withSqlVersion(SqlVersion version) {
        return version == sqlVersion ? this
                : new MessageContext(topic, clientId, principal, traceId, now, payload, accountId, version,
                externalData);
    }

    public MessageContext withAccountId(String account) {
        return new MessageContext(topic, clientId, principal, traceId, now, payload, account, sqlVersion,
                externalData);
    }

    public MessageContext withExternalData(ExternalData data) {
        return data == externalData ? this
                : new MessageContext(topic, clientId, principal, traceId, now, payload, accountId, sqlVersion, data);
    }
}
