package dev.talkback.engine;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * What the phases judge: the submission and the settings, the text normalised once, the author's address, the models
 * of this decision (read once, so that a model swapped meanwhile does not mix versions) and the author's history,
 * asked for before the phases run and waited for only by the phases that need it.
 */
final class DecisionInput {

    final Submission submission;
    final ModerationSettings settings;
    final WordMatcher bannedWords;
    final WordMatcher suspectWords;
    final NormalizedText text;
    final TextFingerprint fingerprint;
    /** The author's address as given, trimmed; null when none was given. */
    final @Nullable String email;
    /** Its domain in ASCII (IDNA), or null. */
    final @Nullable String domain;

    final Instant now;
    final @Nullable SpamModel spamModel;
    final @Nullable AbuseModel abuseModel;
    private final CompletionStage<AuthorHistory.Record> historyAnswer;
    private AuthorHistory.@Nullable Record history;

    DecisionInput(
            Submission submission,
            ModerationSettings settings,
            WordMatcher bannedWords,
            WordMatcher suspectWords,
            NormalizedText text,
            TextFingerprint fingerprint,
            Instant now,
            @Nullable SpamModel spamModel,
            @Nullable AbuseModel abuseModel,
            CompletionStage<AuthorHistory.Record> historyAnswer) {
        this.submission = submission;
        this.settings = settings;
        this.bannedWords = bannedWords;
        this.suspectWords = suspectWords;
        this.text = text;
        this.fingerprint = fingerprint;
        this.email = emailOf(submission);
        this.domain = email == null ? null : EmailAddressPolicy.asciiDomain(email);
        this.now = now;
        this.spamModel = spamModel;
        this.abuseModel = abuseModel;
        this.historyAnswer = historyAnswer;
    }

    static @Nullable String emailOf(Submission submission) {
        return submission.email() == null ? null : submission.email().trim();
    }

    /** The author's address in lower case, as bans and histories key it; or null. */
    @Nullable
    String emailKey() {
        return email == null ? null : email.toLowerCase(Locale.ROOT);
    }

    /** The author's history; waits for the answer the first time. A failure is thrown as it was raised. */
    AuthorHistory.Record history() {
        if (history == null) {
            try {
                history = historyAnswer.toCompletableFuture().join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }
        return history;
    }

    /** More approved comments than the site's trust threshold, and more approved than rejected. */
    boolean trusted() {
        AuthorHistory.Record h = history();
        return h.approved() >= settings.trustedAfter() && h.approved() > h.rejected();
    }
}
