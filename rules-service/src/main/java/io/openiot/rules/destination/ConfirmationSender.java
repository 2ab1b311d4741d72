package io.openiot.rules.destination;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends AWS's confirmation request to a destination's confirmation URL: a POST of {@code {"arn",
 * "confirmationToken", "enableUrl", "messageType": "DestinationConfirmation"}}. Sent in the background, as AWS does;
 * when the endpoint cannot be reached or answers other than 2xx, the destination goes to ERROR with the reason.
 */
@Component
class ConfirmationSender {

    private static final Logger log = LoggerFactory.getLogger(ConfirmationSender.class);

    private final HttpClient http;
    private final JsonMapper json;
    private final DestinationRepository repository;
    private final DestinationProperties properties;
    private final Clock clock;

    ConfirmationSender(HttpClient destinationHttpClient, JsonMapper json, DestinationRepository repository,
                       DestinationProperties properties, Clock clock) {
        this.http = destinationHttpClient;
        this.json = json;
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
    }

    void send(Destination destination, String enableUrl) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("arn", destination.arn());
        body.put("confirmationToken", destination.confirmationToken());
        body.put("enableUrl", enableUrl);
        body.put("messageType", "DestinationConfirmation");
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(destination.confirmationUrl()))
                    .timeout(properties.requestTimeout().multipliedBy(3))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
        } catch (IllegalArgumentException e) {
            failed(destination, "confirmation URL not usable: " + e.getMessage());
            return;
        }
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure != null) {
                failed(destination, "confirmation request failed: " + failure);
            } else if (response.statusCode() / 100 != 2) {
                failed(destination, "confirmation request answered HTTP " + response.statusCode());
            } else {
                log.info("Confirmation request for destination {} delivered to {}", destination.arn(),
                        destination.confirmationUrl());
            }
        });
    }

    private void failed(Destination destination, String reason) {
        log.warn("Destination {}: {}", destination.arn(), reason);
        try {
            repository.markError(destination.arn(), destination.confirmationToken(), reason, clock.instant());
        } catch (RuntimeException e) {
            log.warn("Destination {}: could not record the failed confirmation: {}", destination.arn(),
                    e.getMessage());
        }
    }
}
