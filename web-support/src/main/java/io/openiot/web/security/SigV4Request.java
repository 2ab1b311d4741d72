package io.openiot.web.security;

import java.util.List;
import java.util.function.Function;

/**
 * A request as it arrived, before anything decoded it: what SigV4 signs.
 *
 * @param rawPath the path exactly as sent (still percent-encoded)
 * @param rawQuery the query string exactly as sent, or {@code null}
 * @param headers all values of a header, by case-insensitive name (empty when absent)
 */
record SigV4Request(String method, String rawPath, String rawQuery, Function<String, List<String>> headers,
                    byte[] body) {

    String header(String name) {
        List<String> values = headers.apply(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static boolean isSigV4(String authorization, String rawQuery) {
        return authorization != null && authorization.startsWith(SigV4Verifier.ALGORITHM + " ")
                || rawQuery != null && rawQuery.contains("X-Amz-Algorithm=" + SigV4Verifier.ALGORITHM);
    }
}
