package io.openiot.web.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Bearer JWTs this service has already verified, kept until they expire so that a client reusing its token (as
 * client-credentials clients do for its hour) is not parsed, key-selected, signature-checked and claim-converted
 * again on every request. Only the work that cannot change for the same token is skipped: on every hit the issuer's
 * validators (expiry, issuer, and for the platform's tokens the {@link RevocationList}) run again on the cached
 * {@link Jwt}, so a revoked client is refused as soon as this service has polled the revocation, as without the
 * cache. A hit whose validation fails is dropped and the token goes through the full verification, which gives the
 * usual error.
 *
 * <p>Entries are keyed by the SHA-256 of the token (the credential itself is not kept as a key), bounded in number
 * and expire at the token's {@code exp}. Only tokens of issuers with known validators are cached; a token without
 * {@code exp} is not cached.
 */
final class VerifiedBearerTokens implements AuthenticationManagerResolver<HttpServletRequest> {

    private static final Duration LONGEST = Duration.ofDays(1);

    private final AuthenticationManagerResolver<HttpServletRequest> delegate;
    private final Map<String, OAuth2TokenValidator<Jwt>> validatorsByIssuer;
    private final Clock clock;
    private final Cache<String, JwtAuthenticationToken> verified;

    VerifiedBearerTokens(AuthenticationManagerResolver<HttpServletRequest> delegate,
                         Map<String, OAuth2TokenValidator<Jwt>> validatorsByIssuer, int maximumSize, Clock clock) {
        this.delegate = delegate;
        this.validatorsByIssuer = Map.copyOf(validatorsByIssuer);
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(new UntilExpiry())
                .build();
    }

    @Override
    public AuthenticationManager resolve(HttpServletRequest request) {
        return authentication -> authenticate(request, authentication);
    }

    /** Whether this token is cached as verified now (for tests). */
    boolean holds(String token) {
        return verified.getIfPresent(sha256(token)) != null;
    }

    private Authentication authenticate(HttpServletRequest request, Authentication authentication) {
        if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
            return delegate.resolve(request).authenticate(authentication);
        }
        String key = sha256(bearer.getToken());
        JwtAuthenticationToken cached = verified.getIfPresent(key);
        if (cached != null) {
            Jwt jwt = cached.getToken();
            OAuth2TokenValidator<Jwt> validator = validatorsByIssuer.get(issuer(jwt));
            if (validator != null && !validator.validate(jwt).hasErrors()) {
                JwtAuthenticationToken result = new JwtAuthenticationToken(jwt, cached.getAuthorities(),
                        cached.getName());
                result.setDetails(bearer.getDetails());
                return result;
            }
            verified.invalidate(key);
        }
        Authentication result = delegate.resolve(request).authenticate(bearer);
        if (result instanceof JwtAuthenticationToken token && token.getToken().getExpiresAt() != null
                && validatorsByIssuer.containsKey(issuer(token.getToken()))) {
            verified.put(key, token);
        }
        return result;
    }

    private static String issuer(Jwt jwt) {
        Object issuer = jwt.getClaims().get("iss");
        return issuer == null ? null : issuer.toString();
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** An entry lives until its token's {@code exp}, measured on the service's clock. */
    private final class UntilExpiry implements Expiry<String, JwtAuthenticationToken> {

        @Override
        public long expireAfterCreate(String key, JwtAuthenticationToken value, long currentTime) {
            Duration left = Duration.between(clock.instant(), value.getToken().getExpiresAt());
            // a token of a far-off expiry is verified again once a day (and Duration.toNanos cannot overflow)
            return Math.max(0, (left.compareTo(LONGEST) > 0 ? LONGEST : left).toNanos());
        }

        @Override
        public long expireAfterUpdate(String key, JwtAuthenticationToken value, long currentTime,
                                      long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(String key, JwtAuthenticationToken value, long currentTime,
                                    long currentDuration) {
            return currentDuration;
        }
    }
}
