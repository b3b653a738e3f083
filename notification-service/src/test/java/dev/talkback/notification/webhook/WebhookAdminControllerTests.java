package dev.talkback.notification.webhook;

import java.time.Duration;

import dev.talkback.notification.TestProperties;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Without {@code notification.admin-token} the admin endpoints answer 403 to everyone, before touching the store
 * (there is none here).
 */
class WebhookAdminControllerTests {

    private final WebTestClient client = WebTestClient.bindToController(new WebhookAdminController(null,
            TestProperties.of("http://localhost/{articleId}#{commentId}", "Talkback", 200, Duration.ofSeconds(3))))
            .build();

    @Test
    void withoutConfiguredTokenEverythingIsForbidden() {
        client.get().uri("/api/notifications/webhook-deliveries?status=FAILED")
                .header("Authorization", "Bearer anything").exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith("application/problem+json");
        client.post().uri("/api/notifications/webhook-deliveries/x/redrive").exchange()
                .expectStatus().isForbidden();
    }
}
