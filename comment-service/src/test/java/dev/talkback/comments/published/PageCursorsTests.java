package dev.talkback.comments.published;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.talkback.comments.CommentIds;
import dev.talkback.support.web.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** Only cursors this service signed, for the same article (and thread), are accepted. */
class PageCursorsTests {

    private static final String SECRET = "test-secret-test-secret-test-secret";
    private final PageCursors cursors = new PageCursors(SECRET);
    private final PageCursor position =
            new PageCursor(Instant.parse("2026-11-28T10:00:00.123Z"), new CommentIds().next());
    private final String scope = PageCursors.pages("some-article");

    @Test
    void aCursorItSignedComesBackAsThePosition() {
        String cursor = cursors.encode(position, scope);
        assertThat(cursor).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}").doesNotContain(position.id());
        assertThat(cursors.decode(cursor, scope)).isEqualTo(position);
        // another instance with the same secret accepts it
        assertThat(new PageCursors(SECRET).decode(cursor, scope)).isEqualTo(position);
    }

    @Test
    void aPositionItDidNotSignIsRefused() {
        String payload = b64(position.publishedAt().toEpochMilli() + ":" + position.id());
        // the unsigned format of earlier versions: any millis:ULID made a new page, built and cached
        assertInvalid(payload);
        assertInvalid(payload + ".");
        assertInvalid(payload + "." + b64("0123456789abcdef"));
        // another millisecond, same signature
        String genuine = cursors.encode(position, scope);
        String otherTime = b64((position.publishedAt().toEpochMilli() + 1) + ":" + position.id());
        assertInvalid(otherTime + genuine.substring(genuine.indexOf('.')));
    }

    @Test
    void anAlteredOrMalformedCursorIsRefused() {
        String genuine = cursors.encode(position, scope);
        for (int i = 0; i < genuine.length(); i++) {
            char c = genuine.charAt(i);
            if (c == '.') {
                continue;
            }
            char other = c == 'A' ? 'B' : 'A';
            String altered = genuine.substring(0, i) + other + genuine.substring(i + 1);
            if (!altered.equals(genuine)) {
                assertThatThrownBy(() -> cursors.decode(altered, scope))
                        .as("altered at %d", i)
                        .isInstanceOf(ApiProblem.class);
            }
        }
        for (String bad :
                new String[] {"", ".", "garbage!", "a.b.c", "%%%.%%%", genuine + genuine, "x".repeat(10_000)}) {
            assertInvalid(bad);
        }
    }

    @Test
    void aCursorOfAnotherArticleThreadOrSecretIsRefused() {
        String genuine = cursors.encode(position, scope);
        assertThatThrownBy(() -> cursors.decode(genuine, PageCursors.pages("other-article")))
                .isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> cursors.decode(genuine, PageCursors.replies("some-article", position.id())))
                .isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> new PageCursors("another-secret-another-secret").decode(genuine, scope))
                .isInstanceOf(ApiProblem.class);
    }

    @Test
    void withoutASecretCursorsStillWorkOnThisInstance() {
        PageCursors random = new PageCursors((String) null);
        assertThat(random.decode(random.encode(position, scope), scope)).isEqualTo(position);
        assertThatThrownBy(() -> cursors.decode(random.encode(position, scope), scope))
                .isInstanceOf(ApiProblem.class);
    }

    private void assertInvalid(String cursor) {
        assertThatThrownBy(() -> cursors.decode(cursor, scope))
                .as(cursor.length() > 50 ? cursor.substring(0, 50) : cursor)
                .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                    assertThat(problem.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(problem.getMessage()).contains("cursor is not valid");
                    assertThat(problem.errors())
                            .extracting(ApiProblem.FieldProblem::field)
                            .containsExactly("cursor");
                });
    }

    private static String b64(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
}
