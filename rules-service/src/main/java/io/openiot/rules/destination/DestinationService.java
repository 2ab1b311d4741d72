package io.openiot.rules.destination;

import io.openiot.rules.action.HttpUrls;
import io.openiot.rules.destination.DestinationExceptions.DestinationAlreadyExistsException;
import io.openiot.rules.destination.DestinationExceptions.DestinationNotFoundException;
import io.openiot.rules.destination.DestinationExceptions.InvalidDestinationRequestException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * HTTP topic rule destinations as AWS has them: created IN_PROGRESS with a confirmation request to the endpoint,
 * ENABLED once the endpoint's owner confirms the token, then DISABLED / ENABLED at will; setting IN_PROGRESS again
 * sends a new challenge with a new token; ERROR means the confirmation request did not get a 2xx answer. The engine asks {@link #enabled} on every {@code http}
 * action, from a copy reloaded every {@code refresh-interval} and after every write here.
 */
@Service
class DestinationService {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MAX_RESULTS = 1000;

    private final DestinationRepository repository;
    private final ConfirmationSender confirmations;
    private final DestinationArn arns;
    private final DestinationProperties properties;
    private final Clock clock;
    private volatile Cache cache = new Cache(Map.of(), 0, true);

    private record Cache(Map<String, Destination> byConfirmationUrl, long loadedAtNanos, boolean stale) {

        boolean expired(long ttlNanos) {
            return stale || System.nanoTime() - loadedAtNanos > ttlNanos;
        }
    }

    DestinationService(DestinationRepository repository, ConfirmationSender confirmations, DestinationArn arns,
                       DestinationProperties properties, Clock clock) {
        this.repository = repository;
        this.confirmations = confirmations;
        this.arns = arns;
        this.properties = properties;
        this.clock = clock;
    }

    Destination create(String confirmationUrl, String requestBaseUrl) {
        HttpUrls.violation(confirmationUrl).ifPresent(violation -> {
            throw new InvalidDestinationRequestException("confirmationUrl: " + violation);
        });
        Instant now = clock.instant();
        Destination destination = new Destination(arns.of(UUID.randomUUID().toString()), confirmationUrl,
                DestinationStatus.IN_PROGRESS, null, newToken(), false, now, now);
        if (!repository.insert(destination)) {
            throw new DestinationAlreadyExistsException(confirmationUrl);
        }
        invalidate();
        confirmations.send(destination, enableUrl(destination.confirmationToken(), requestBaseUrl));
        return destination;
    }

    /** ConfirmTopicRuleDestination: the token the endpoint received proves it is willing; the destination is ENABLED. */
    void confirm(String token) {
        Destination destination = repository.findByToken(token).orElseThrow(() ->
                new InvalidDestinationRequestException("unknown or expired confirmation token"));
        if (destination.confirmed()) {
            return;
        }
        save(new Destination(destination.arn(), destination.confirmationUrl(), DestinationStatus.ENABLED, null,
                destination.confirmationToken(), true, destination.createdAt(), clock.instant()));
    }

    /** UpdateTopicRuleDestination. */
    void update(String arn, String statusText, String requestBaseUrl) {
        DestinationStatus status;
        try {
            status = DestinationStatus.valueOf(statusText == null ? "" : statusText);
        } catch (IllegalArgumentException e) {
            throw new InvalidDestinationRequestException("status must be IN_PROGRESS, ENABLED or DISABLED");
        }
        Destination current = get(arn);
        Instant now = clock.instant();
        switch (status) {
            case ENABLED, DISABLED -> {
                if (!current.confirmed()) {
                    throw new InvalidDestinationRequestException("destination " + arn + " is not confirmed; "
                            + "confirm it with the token sent to its confirmation URL, or set IN_PROGRESS to send "
                            + "a new one");
                }
                save(new Destination(arn, current.confirmationUrl(), status, null, current.confirmationToken(),
                        true, current.createdAt(), now));
            }
            case IN_PROGRESS -> {
                Destination challenged = new Destination(arn, current.confirmationUrl(), status, null, newToken(),
                        false, current.createdAt(), now);
                save(challenged);
                confirmations.send(challenged, enableUrl(challenged.confirmationToken(), requestBaseUrl));
            }
            case ERROR -> throw new InvalidDestinationRequestException("status ERROR cannot be set");
        }
    }

    Destination get(String arn) {
        return repository.find(arn).orElseThrow(() -> new DestinationNotFoundException(arn));
    }

    record Page(List<Destination> destinations, String nextToken) {
    }

    Page list(String nextToken, Integer maxResults) {
        int limit = maxResults == null ? MAX_RESULTS : maxResults;
        if (limit < 1 || limit > MAX_RESULTS) {
            throw new InvalidDestinationRequestException("maxResults must be 1-" + MAX_RESULTS);
        }
        String after = null;
        if (nextToken != null && !nextToken.isEmpty()) {
            try {
                after = new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new InvalidDestinationRequestException("invalid nextToken");
            }
        }
        List<Destination> page = repository.list(after, limit + 1);
        if (page.size() <= limit) {
            return new Page(page, null);
        }
        List<Destination> shown = page.subList(0, limit);
        return new Page(List.copyOf(shown), Base64.getUrlEncoder().withoutPadding().encodeToString(
                shown.get(limit - 1).arn().getBytes(StandardCharsets.UTF_8)));
    }

    void delete(String arn) {
        if (!repository.delete(arn)) {
            throw new DestinationNotFoundException(arn);
        }
        invalidate();
    }

    /** The ENABLED destination with exactly this confirmation URL, if there is one. */
    Optional<Destination> enabled(String confirmationUrl) {
        Cache current = cache;
        if (current.expired(properties.refreshInterval().toNanos())) {
            current = reload();
        }
        Destination destination = current.byConfirmationUrl().get(confirmationUrl);
        return destination != null && destination.status() == DestinationStatus.ENABLED ? Optional.of(destination)
                : Optional.empty();
    }

    private synchronized Cache reload() {
        Cache current = cache;
        if (!current.expired(properties.refreshInterval().toNanos())) {
            return current;
        }
        Cache loaded = new Cache(repository.all().stream().collect(Collectors.toUnmodifiableMap(
                Destination::confirmationUrl, Function.identity())), System.nanoTime(), false);
        cache = loaded;
        return loaded;
    }

    private void save(Destination destination) {
        if (!repository.update(destination)) {
            throw new DestinationNotFoundException(destination.arn());
        }
        invalidate();
    }

    private synchronized void invalidate() {
        cache = new Cache(cache.byConfirmationUrl(), 0, true);
    }

    private String enableUrl(String token, String requestBaseUrl) {
        String base = properties.enableUrlBase().isEmpty() ? requestBaseUrl : properties.enableUrlBase();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/confirmdestination/" + token;
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
