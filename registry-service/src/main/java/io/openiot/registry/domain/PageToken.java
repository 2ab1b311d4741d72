package io.openiot.registry.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code nextToken} of the list calls: the sort key of the last item returned, so that the next page
 * starts strictly after it (keyset pagination). A page never repeats or skips an item that exists throughout, however
 * many are added or deleted in between, because it does not count positions.
 */
public final class PageToken {

    private static final String PREFIX = "v1:";

    private PageToken() {
    }

    public static String encode(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    /** The key after which the next page starts, or {@code null} for the first page. */
    public static String decode(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!text.startsWith(PREFIX)) {
                throw new RegistryValidationException("invalid nextToken");
            }
            return text.substring(PREFIX.length());
        } catch (IllegalArgumentException e) {
            throw new RegistryValidationException("invalid nextToken");
        }
    }

    /** {@code maxResults} within 1..250 as AWS; {@code null} gives the default page size. */
    public static int pageSize(Integer maxResults, int defaultSize) {
        if (maxResults == null) {
            return defaultSize;
        }
        if (maxResults < 1 || maxResults > 250) {
            throw new RegistryValidationException("maxResults must be between 1 and 250");
        }
        return maxResults;
    }
}
