package dev.talkback.comments.published;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.springframework.http.HttpStatus;

import dev.talkback.comments.ApiProblem;
import dev.talkback.comments.CommentIds;

/**
 * Position after the last top-level comment of a page: its publication time and id (the sort key). Opaque to
 * clients: base64url of {@code <epoch millis>:<id>}.
 */
record PageCursor(Instant publishedAt, String id) {

    String encode() {
        String raw = publishedAt.toEpochMilli() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws ApiProblem 400 naming the field {@code cursor} when it was not made by {@link #encode()} */
    static PageCursor decode(String cursor) {
        try {
            if (cursor.length() > 100) {
                throw new IllegalArgumentException("too long");
            }
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            long millis = Long.parseLong(raw.substring(0, colon));
            String id = raw.substring(colon + 1);
            if (millis < 0 || !CommentIds.isWellFormed(id)) {
                throw new IllegalArgumentException("not a cursor");
            }
            return new PageCursor(Instant.ofEpochMilli(millis), id);
        }
        catch (RuntimeException ex) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "The cursor is not valid; use the 'next' value of a previous page.",
                    List.of(new ApiProblem.FieldProblem("cursor", "is not a cursor returned by this service")));
        }
    }
}
