package dev.talkback.comments.published;

import dev.talkback.events.CommentModerated.Outcome;

/** What the read model knows of a comment; only PUBLISHED comments are shown to readers. */
public enum CommentStatus {
    PENDING,
    PUBLISHED,
    REJECTED;

    static CommentStatus of(Outcome outcome) {
        return switch (outcome) {
            case APPROVED -> PUBLISHED;
            case REJECTED -> REJECTED;
            case HELD -> PENDING;
        };
    }
}
