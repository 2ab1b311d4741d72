package io.openiot.policy.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.openiot.policy.client.TokenProperties;
import io.openiot.policy.secret.SecretCipher;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The RSA keys that sign access tokens, kept in the database (private halves encrypted with the master key) so that
 * every instance signs with the same current key and publishes the same JWKS: the current key and the retired ones
 * whose tokens may not have expired yet.
 */
@Component
class TokenSigningKeys implements JWKSource<SecurityContext> {

    private static final Logger log = LoggerFactory.getLogger(TokenSigningKeys.class);
    /** Serialises key creation and rotation across instances sharing the database. */
    private static final long ROTATION_LOCK = 0x6f70656e696f74L;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final SecretCipher cipher;
    private final TokenProperties tokens;
    private final Clock clock;
    private volatile Loaded loaded;

    TokenSigningKeys(JdbcClient jdbc, TransactionTemplate transactions, SecretCipher cipher, TokenProperties tokens,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.cipher = cipher;
        this.tokens = tokens;
        this.clock = clock;
    }

    private record Loaded(JWKSet keys, String currentKeyId, Instant currentCreatedAt, Instant readAt) {
    }

    /** A published key: when it was made and, once replaced, when it was retired. */
    record KeyInfo(String keyId, Instant createdAt, Instant retiredAt) {
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        return selector.select(load().keys());
    }

    /** The key id new tokens are signed with; the token customizer names it in the JWT header. */
    String currentKeyId() {
        return load().currentKeyId();
    }

    /** Replaces the current key; the old one stays published for {@code iot.policy.token.max-lifetime}. */
    String rotate() {
        String keyId = transactions.execute(status -> {
            lock();
            Instant now = now();
            jdbc.sql("UPDATE token_signing_key SET retired_at = :now WHERE retired_at IS NULL")
                    .param("now", Timestamp.from(now)).update();
            return insertNewKey(now);
        });
        loaded = null;
        log.info("Token signing key rotated; new key id {}", keyId);
        return keyId;
    }

    List<KeyInfo> published() {
        Instant horizon = now().minus(tokens.maxLifetime());
        return jdbc.sql("SELECT key_id, created_at, retired_at FROM token_signing_key "
                        + "WHERE retired_at IS NULL OR retired_at > :horizon ORDER BY created_at DESC")
                .param("horizon", Timestamp.from(horizon))
                .query((rs, row) -> new KeyInfo(rs.getString(1), rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()))
                .list();
    }

    private Loaded load() {
        Loaded current = loaded;
        Instant now = clock.instant();
        if (current != null && current.readAt().plus(tokens.keyCacheTime()).isAfter(now)) {
            return current;
        }
        current = read();
        if (current.currentKeyId() == null) {
            ensureCurrentKey();
            current = read();
        } else if (tokens.keyRotationPeriod() != null
                && current.currentCreatedAt().plus(tokens.keyRotationPeriod()).isBefore(now)) {
            rotateIfStillDue(current.currentKeyId());
            current = read();
        }
        loaded = current;
        return current;
    }

    private Loaded read() {
        Instant now = now();
        Instant horizon = now.minus(tokens.maxLifetime());
        List<JWK> keys = new ArrayList<>();
        String[] current = new String[1];
        Instant[] currentCreated = new Instant[1];
        jdbc.sql("SELECT key_id, public_key, private_key_encrypted, created_at, retired_at FROM token_signing_key "
                        + "WHERE retired_at IS NULL OR retired_at > :horizon ORDER BY created_at DESC")
                .param("horizon", Timestamp.from(horizon))
                .query(rs -> {
                    String keyId = rs.getString("key_id");
                    boolean isCurrent = rs.getTimestamp("retired_at") == null;
                    RSAKey.Builder key = new RSAKey.Builder(publicKey(rs.getBytes("public_key")))
                            .keyID(keyId).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256);
                    if (isCurrent) {
                        // only the current key can sign: the retired ones are published for verification only
                        key.privateKey(privateKey(cipher.decrypt(rs.getBytes("private_key_encrypted"))));
                        current[0] = keyId;
                        currentCreated[0] = rs.getTimestamp("created_at").toInstant();
                    }
                    keys.add(key.build());
                });
        return new Loaded(new JWKSet(keys), current[0], currentCreated[0], clock.instant());
    }

    private void ensureCurrentKey() {
        transactions.executeWithoutResult(status -> {
            lock();
            Integer currentKeys = jdbc.sql("SELECT count(*) FROM token_signing_key WHERE retired_at IS NULL")
                    .query(Integer.class).single();
            if (currentKeys == 0) {
                log.info("Created the first token signing key {}", insertNewKey(now()));
            }
        });
    }

    private void rotateIfStillDue(String seenKeyId) {
        transactions.executeWithoutResult(status -> {
            lock();
            // another instance may have rotated since we read
            String currentKeyId = jdbc.sql("SELECT key_id FROM token_signing_key WHERE retired_at IS NULL")
                    .query(String.class).optional().orElse(null);
            if (seenKeyId.equals(currentKeyId)) {
                Instant now = now();
                jdbc.sql("UPDATE token_signing_key SET retired_at = :now WHERE retired_at IS NULL")
                        .param("now", Timestamp.from(now)).update();
                log.info("Token signing key {} reached iot.policy.token.key-rotation-period; new key id {}",
                        seenKeyId, insertNewKey(now));
            }
        });
    }

    private void lock() {
        jdbc.sql("SELECT pg_advisory_xact_lock(:lock)").param("lock", ROTATION_LOCK).query((rs, row) -> 1).list();
    }

    private String insertNewKey(Instant now) {
        KeyPair pair = generate();
        String keyId = UUID.randomUUID().toString();
        jdbc.sql("INSERT INTO token_signing_key (key_id, public_key, private_key_encrypted, created_at) "
                        + "VALUES (:id, :public, :private, :created)")
                .param("id", keyId)
                .param("public", pair.getPublic().getEncoded())
                .param("private", cipher.encrypt(pair.getPrivate().getEncoded()))
                .param("created", Timestamp.from(now))
                .update();
        return keyId;
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is part of every JDK", e);
        }
    }

    private static RSAPublicKey publicKey(byte[] x509) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored public key is not an RSA key", e);
        }
    }

    private static RSAPrivateKey privateKey(byte[] pkcs8) {
        try {
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored private key is not an RSA key", e);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
