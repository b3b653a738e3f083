package dev.talkback.comments.intake;

import org.jspecify.annotations.Nullable;

/**
 * A report as it arrived, after JSON parsing and type checks, before content validation: a reason and a note, and for
 * a notice of illegal content the notifier's explanation, name, address and statement of good faith.
 */
record ReportForm(
        @Nullable String reason,
        @Nullable String note,
        @Nullable String explanation,
        @Nullable String name,
        @Nullable String email,
        @Nullable Boolean goodFaith) {}
