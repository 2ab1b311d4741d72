package io.openiot.rules.action;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What an {@code http} action's URLs must look like. */
public final class HttpUrls {

    /** Headers the JDK HTTP client sets itself and refuses from callers. */
    static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private HttpUrls() {
    }

    /**
     * Why the text is not an absolute http(s) URL with a host, if it is not. AWS requires https; a self-hosted
     * platform also reaches plain-http endpoints on its own network.
     */
    public static Optional<String> violation(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("'" + url + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("'" + url + "' is not an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("'" + url + "' has no host");
        }
        return Optional.empty();
    }
}
