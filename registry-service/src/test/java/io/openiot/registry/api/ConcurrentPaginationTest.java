package io.openiot.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ConcurrentPaginationTest extends RegistryApiTestBase {

    @Test
    void listThingsNeverSkipsOrRepeatsAThingWhileOthersAreAddedAndDeleted() throws Exception {
        Map<String, Object> batch = Map.of("attributePayload", Map.of("attributes", Map.of("batch", p)));
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 120; i += 2) {
            String name = p + String.format("k%04d", i);
            post("/things/" + name, batch).ok();
            stable.add(name);
        }
        for (int i = 1; i < 120; i += 4) {
            post("/things/" + p + String.format("k%04d", i), batch).ok(); // deleted while the listing runs
        }

        AtomicBoolean listing = new AtomicBoolean(true);
        AtomicInteger changes = new AtomicInteger();
        CompletableFuture<Void> churn = CompletableFuture.runAsync(() -> {
            int round = 0;
            while (listing.get()) {
                int i = 1 + 2 * (round % 60);
                String name = p + String.format("k%04d", i);
                if (get("/things/" + name).status().is2xxSuccessful()) {
                    delete("/things/" + name).ok();
                } else {
                    post("/things/" + name, batch).ok();
                }
                changes.incrementAndGet();
                round++;
            }
        });

        List<String> seen = new ArrayList<>();
        String token = null;
        try {
            do {
                JsonNode page = get("/things?attributeName=batch&attributeValue=" + p + "&maxResults=3"
                        + (token == null ? "" : "&nextToken=" + token)).ok().body();
                seen.addAll(ThingApiTest.names(page));
                token = page.path("nextToken").isMissingNode() ? null : page.path("nextToken").asString();
                Thread.sleep(5); // let the churn interleave with the pages
            } while (token != null);
        } finally {
            listing.set(false);
            churn.get();
        }

        assertThat(changes.get()).as("changes made while listing").isGreaterThan(10);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(stable);
        assertThat(seen).isSorted();
    }
}
