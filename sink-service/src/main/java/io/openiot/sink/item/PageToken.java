package io.openiot.sink.item;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a newest-first page ended: the message time and id of its last item. The next page starts strictly after
 * it in {@code (message_time DESC, id DESC)} order, so items stored meanwhile never shift pages (keyset pagination).
 * Clients see it as an opaque string; the version prefix lets the format change later.
 */
record PageToken(long messageTime, long id) {

    static final String PARAMETER = "nextToken";
    private static final String VERSION = "v1";

    String encode() {
        String plain = VERSION + ":" + messageTime + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws InvalidParameterException naming {@value #PARAMETER} when the token was not made by {@link #encode()} */
    static PageToken decode(String token) {
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        String[] parts = plain.split(":", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw invalid();
        }
        try {
            long id = Long.parseLong(parts[2]);
            if (id < 0) {
                throw invalid();
            }
            return new PageToken(Long.parseLong(parts[1]), id);
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    private static InvalidParameterException invalid() {
        return new InvalidParameterException(PARAMETER, "is not a token this API returned");
    }
}
