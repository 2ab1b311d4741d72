package io.openiot.rules.lookup;

import io.openiot.rules.sql.ExternalData;
import io.openiot.rules.sql.LookupFailedException;
import io.openiot.web.security.ClientCredentialsTokens;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link ExternalData} over HTTP: shadow-service's GetThingShadow and sink-service's item by key, each with a bearer
 * token of the configured client and the configured timeout. 200 is the answer, 404 (and 400, arguments the service
 * refuses) "none"; anything else, a timeout or a refused connection fails the lookup. After such a failure, lookups
 * to that service fail at once for {@link LookupProperties#failureBackoff()}, so that a service that hangs costs the
 * engine one timeout, not one per message.
 */
final class HttpExternalData implements ExternalData {

    private static final Logger log = LoggerFactory.getLogger(HttpExternalData.class);

    private final LookupProperties properties;
    private final ClientCredentialsTokens tokens;
    private final JsonMapper json;
    private final Clock clock;
    private final HttpClient http;
    private final Target shadow = new Target("shadow-service");
    private final Target sink = new Target("sink-service");

    HttpExternalData(LookupProperties properties, ClientCredentialsTokens tokens, JsonMapper json, Clock clock) {
        this.properties = properties;
        this.tokens = tokens;
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
    }

    /** One service, and until when it is known to fail (epoch milliseconds). */
    private static final class Target {
        final String name;
        final AtomicLong failingUntil = new AtomicLong();

        Target(String name) {
            this.name = name;
        }
    }

    @Override
    public Optional<byte[]> thingShadow(String thingName, String shadowName) {
        String uri = properties.shadowUrl() + "/things/" + segment(thingName) + "/shadow"
                + (shadowName == null ? "" : "?name=" + segment(shadowName));
        return get(shadow, uri);
    }

    @Override
    public Optional<byte[]> item(String tableName, String partitionKey, String sortKey) {
        String uri = properties.sinkUrl() + "/tables/" + segment(tableName) + "/items/" + segment(partitionKey)
                + (sortKey == null ? "" : "/" + segment(sortKey));
        return get(sink, uri).map(this::storedItem);
    }

    @Override
    public Duration cacheTtl() {
        return properties.cacheTtl();
    }

    @Override
    public int cacheSize() {
        return properties.cacheSize();
    }

    /** The sink answers {@code {"partitionKey",…,"item":{…}}}: the item as written is what get_dynamodb returns. */
    private byte[] storedItem(byte[] view) {
        try {
            JsonNode item = json.readTree(view).get("item");
            if (item == null || !item.isObject()) {
                throw new LookupFailedException("sink-service answered an item view without an item");
            }
            return json.writeValueAsBytes(item);
        } catch (JacksonException e) {
            throw new LookupFailedException("sink-service answered something that is not JSON", e);
        }
    }

    private Optional<byte[]> get(Target target, String uri) {
        long now = clock.millis();
        if (target.failingUntil.get() > now) {
            throw new LookupFailedException(target.name + " failed a moment ago; not asked again until "
                    + properties.failureBackoff() + " have passed");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(properties.timeout())
                .header("Accept", "application/json").GET();
        if (tokens != null) {
            try {
                request.header("Authorization", "Bearer " + tokens.accessToken());
            } catch (RuntimeException e) {
                throw new LookupFailedException("no token for " + target.name + ": " + e.getMessage(), e);
            }
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw failed(target, now, target.name + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LookupFailedException("interrupted while asking " + target.name, e);
        }
        int status = response.statusCode();
        if (status == 200) {
            return Optional.of(response.body());
        }
        if (status == 404 || status == 400) {
            return Optional.empty();
        }
        String error = response.headers().firstValue("x-amzn-ErrorType").orElse("");
        if (status == 401 || status == 403) {
            if (tokens != null) {
                tokens.forget();
            }
            throw new LookupFailedException(target.name + " refused the lookup: " + status + " " + error);
        }
        throw failed(target, now, target.name + " answered " + status + " " + error, null);
    }

    private LookupFailedException failed(Target target, long now, String message, Throwable cause) {
        if (target.failingUntil.getAndSet(now + properties.failureBackoff().toMillis()) <= now) {
            log.warn("{}; lookups to it fail for the next {}", message, properties.failureBackoff());
        }
        return new LookupFailedException(message, cause);
    }

    /** One path segment or query value, percent-encoded (a space as %20, not +). */
    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
