package dev.talkback.engine;

import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What was posted lately, from the {@link RecentActivity}: the same text again by its author (rejected) or by several
 * other authors (held: a campaign?), and floods from one address or one IP (held).
 */
final class ActivityPhase implements Phase {

    static final String DUPLICATE_SAME_AUTHOR = "duplicate.same-author";
    static final String DUPLICATE_ACROSS_AUTHORS = "duplicate.across-authors";
    static final String FLOOD_EMAIL = "flood.email";
    static final String FLOOD_IP = "flood.ip";

    /** Shorter texts ("Agreed.", "Thank you!") are said by many and are no duplicates. */
    private static final int MIN_WORDS = 4;

    private final RecentActivity recentActivity;

    ActivityPhase(RecentActivity recentActivity) {
        this.recentActivity = recentActivity;
    }

    @Override
    public String name() {
        return "activity";
    }

    @Override
    public void judge(DecisionInput input, Judgement judgement) {
        ModerationSettings settings = input.settings;
        Instant now = input.now;
        TextFingerprint fingerprint = input.fingerprint;
        String email = input.email;
        RecentActivity.Snapshot recent = recentActivity.lookup(new RecentActivity.Probe(
                email,
                input.submission.clientIp(),
                fingerprint,
                now.minus(settings.floodWindow()),
                now.minus(settings.duplicateWindow())));
        if (fingerprint.words() >= MIN_WORDS) {
            int sameAuthor = 0;
            Set<String> otherAuthors = new HashSet<>();
            for (RecentActivity.PastComment past : recent.similar()) {
                if (past.commentId().equals(input.submission.commentId())) {
                    continue;
                }
                boolean similar = past.fingerprint().exact() == fingerprint.exact()
                        || past.fingerprint().distanceTo(fingerprint) <= settings.nearDuplicateBits();
                if (!similar) {
                    continue;
                }
                if (email != null && email.equalsIgnoreCase(past.email())) {
                    sameAuthor++;
                } else if (past.email() != null) {
                    otherAuthors.add(past.email().toLowerCase(Locale.ROOT));
                }
            }
            if (sameAuthor > 0) {
                judgement.object(
                        Verdict.REJECT,
                        DUPLICATE_SAME_AUTHOR,
                        "The author posted the same or nearly the " + "same text " + sameAuthor + " time(s) within "
                                + settings.duplicateWindow() + ".",
                        "You already posted this comment.");
                return;
            }
            if (otherAuthors.size() >= 2) {
                judgement.object(
                        Verdict.HOLD,
                        DUPLICATE_ACROSS_AUTHORS,
                        otherAuthors.size()
                                + " other authors posted the same or nearly the same text within "
                                + settings.duplicateWindow() + " (a campaign?).",
                        null);
            }
        }
        if (recent.byEmail() >= settings.maxPerEmail()) {
            judgement.object(
                    Verdict.HOLD,
                    FLOOD_EMAIL,
                    "The author already sent " + recent.byEmail() + " comments within " + settings.floodWindow()
                            + " (limit " + settings.maxPerEmail() + ").",
                    null);
        }
        if (recent.byIp() >= settings.maxPerIp()) {
            judgement.object(
                    Verdict.HOLD,
                    FLOOD_IP,
                    recent.byIp() + " comments came from this IP address within " + settings.floodWindow() + " (limit "
                            + settings.maxPerIp() + ").",
                    null);
        }
    }
}
