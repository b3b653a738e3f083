package dev.talkback.comments.intake;

import org.jspecify.annotations.Nullable;

/** A comment as it arrived, after JSON parsing and type checks, before content validation. */
record CommentForm(
        @Nullable String name,
        @Nullable String email,
        @Nullable String website,
        @Nullable String text,
        @Nullable String parentId,
        @Nullable Boolean notifyReplies,
        @Nullable Boolean notifyPublished) {}
