package dev.talkback.comments.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.comments.EmbeddedBackendTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** With the nudge off (the default) the draft check is not there, and no abuse model is trained. */
@EmbeddedBackendTest
class DraftCheckOffTests {

    @Autowired
    WebTestClient client;

    @Autowired
    AbuseNudge nudge;

    @Test
    void theCheckAnswers404AndNoModelIsTrained() {
        client.post()
                .uri("/api/articles/{a}/comments/check", "some-article")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("text", "You are a stupid idiot, you moron"))
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("This site does not check drafts.");
        assertThat(nudge.enabled()).isFalse();
        assertThat(nudge.ready()).isFalse();
    }
}
