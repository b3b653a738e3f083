package dev.talkback.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What a site or an article configures, resolved by the caller (article over site over defaults) and passed to
 * every {@link ModerationEngine#decide} call, so that a change of settings applies to the next comment.
 *
 * @param mode                 post-moderation (publish unless the pipeline objects) or pre-moderation (hold
 *                             everything from authors who are not trusted)
 * @param closed               a closed article takes no comments: they are rejected
 * @param approveBelow         spam probability under which a comment passes the spam model
 * @param rejectFrom           spam probability from which it is rejected; in between it is held
 * @param bannedWords          words and phrases that get a comment rejected
 * @param suspectWords         words and phrases that get a comment held
 * @param maxLinks             links allowed before a comment is held
 * @param blockedLinkDomains   a link to one of these (or a subdomain) gets a comment rejected
 * @param shortenerDomains     a link through one of these URL shorteners gets a comment held, since it hides where
 *                             it leads
 * @param disposableEmail      verdict for an address at a throwaway-mailbox provider
 * @param dnsUnavailable       verdict when the author's mail domain could not be checked (DNS down or slow); never
 *                             REJECT, since the author did nothing wrong
 * @param floodWindow          window for counting comments per email and per IP
 * @param maxPerEmail          comments one address may send in the window before the next is held
 * @param maxPerIp             comments one IP may send in the window before the next is held
 * @param duplicateWindow      how far back duplicates are looked for
 * @param nearDuplicateBits    SimHash distance (of 64 bits) up to which two texts count as near-duplicates
 * @param trustedAfter         approved comments (and more approved than rejected) that make an author trusted
 * @param abuseHoldFrom        abuse score (of any category) from which a comment is held for a moderator
 * @param abuseRejectFrom      abuse score from which a comment is rejected, or {@code null} (the default): never
 *                             rejected for abuse, only held; never applies to an identity mention alone, which the
 *                             model does not score
 */
public record ModerationSettings(
        Mode mode,
        boolean closed,
        double approveBelow,
        double rejectFrom,
        Set<String> bannedWords,
        Set<String> suspectWords,
        int maxLinks,
        Set<String> blockedLinkDomains,
        Set<String> shortenerDomains,
        Verdict disposableEmail,
        Verdict dnsUnavailable,
        Duration floodWindow,
        int maxPerEmail,
        int maxPerIp,
        Duration duplicateWindow,
        int nearDuplicateBits,
        int trustedAfter,
        double abuseHoldFrom,
        @Nullable Double abuseRejectFrom) {

    /** Abuse score from which a comment is held by default (see docs/decisions on the abuse model). */
    public static final double DEFAULT_ABUSE_HOLD_FROM = 0.5;

    /** Post- or pre-moderation. */
    public enum Mode {
        POST,
        PRE
    }

    public static final Set<String> DEFAULT_SHORTENERS = Set.of(
            "bit.ly",
            "goo.gl",
            "tinyurl.com",
            "t.co",
            "ow.ly",
            "is.gd",
            "buff.ly",
            "adf.ly",
            "bit.do",
            "cutt.ly",
            "rebrand.ly",
            "shorturl.at",
            "tiny.cc",
            "rb.gy",
            "t.ly",
            "lnkd.in",
            "v.gd",
            "s.id",
            "shorte.st",
            "ouo.io");

    public ModerationSettings {
        Objects.requireNonNull(mode, "mode");
        if (!(0 <= approveBelow && approveBelow <= rejectFrom && rejectFrom <= 1)) {
            throw new IllegalArgumentException("need 0 <= approveBelow <= rejectFrom <= 1");
        }
        if (maxLinks < 0
                || maxPerEmail < 1
                || maxPerIp < 1
                || nearDuplicateBits < 0
                || nearDuplicateBits > 7
                || trustedAfter < 1) {
            throw new IllegalArgumentException("limits out of range");
        }
        if (dnsUnavailable == Verdict.REJECT) {
            throw new IllegalArgumentException("an unavailable DNS must never reject a comment");
        }
        bannedWords = Set.copyOf(bannedWords);
        suspectWords = Set.copyOf(suspectWords);
        blockedLinkDomains = Set.copyOf(blockedLinkDomains);
        shortenerDomains = Set.copyOf(shortenerDomains);
        Objects.requireNonNull(disposableEmail, "disposableEmail");
        Objects.requireNonNull(floodWindow, "floodWindow");
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        if (!(0 < abuseHoldFrom && abuseHoldFrom <= 1)
                || abuseRejectFrom != null && !(abuseHoldFrom <= abuseRejectFrom && abuseRejectFrom <= 1)) {
            throw new IllegalArgumentException("need 0 < abuseHoldFrom <= abuseRejectFrom <= 1");
        }
    }

    /** Spam probability under which a comment passes, by default: chosen by {@code select-spam} (decision 0023). */
    public static final double DEFAULT_APPROVE_BELOW = 0.25;
    /** Spam probability from which a comment is rejected, by default: chosen by {@code select-spam}. */
    public static final double DEFAULT_REJECT_FROM = 0.80;

    /** Sensible defaults: post-moderation, spam thresholds 0.25 / 0.80, three links, no word lists. */
    public static ModerationSettings defaults() {
        return new ModerationSettings(
                Mode.POST,
                false,
                DEFAULT_APPROVE_BELOW,
                DEFAULT_REJECT_FROM,
                Set.of(),
                Set.of(),
                3,
                Set.of(),
                DEFAULT_SHORTENERS,
                Verdict.REJECT,
                Verdict.HOLD,
                Duration.ofMinutes(10),
                5,
                20,
                Duration.ofDays(1),
                6,
                3,
                DEFAULT_ABUSE_HOLD_FROM,
                null);
    }

    public ModerationSettings withMode(Mode mode) {
        return new ModerationSettings(
                mode,
                closed,
                approveBelow,
                rejectFrom,
                bannedWords,
                suspectWords,
                maxLinks,
                blockedLinkDomains,
                shortenerDomains,
                disposableEmail,
                dnsUnavailable,
                floodWindow,
                maxPerEmail,
                maxPerIp,
                duplicateWindow,
                nearDuplicateBits,
                trustedAfter,
                abuseHoldFrom,
                abuseRejectFrom);
    }

    public ModerationSettings withClosed(boolean closed) {
        return new ModerationSettings(
                mode,
                closed,
                approveBelow,
                rejectFrom,
                bannedWords,
                suspectWords,
                maxLinks,
                blockedLinkDomains,
                shortenerDomains,
                disposableEmail,
                dnsUnavailable,
                floodWindow,
                maxPerEmail,
                maxPerIp,
                duplicateWindow,
                nearDuplicateBits,
                trustedAfter,
                abuseHoldFrom,
                abuseRejectFrom);
    }

    public ModerationSettings withSpamThresholds(double approveBelow, double rejectFrom) {
        return new ModerationSettings(
                mode,
                closed,
                approveBelow,
                rejectFrom,
                bannedWords,
                suspectWords,
                maxLinks,
                blockedLinkDomains,
                shortenerDomains,
                disposableEmail,
                dnsUnavailable,
                floodWindow,
                maxPerEmail,
                maxPerIp,
                duplicateWindow,
                nearDuplicateBits,
                trustedAfter,
                abuseHoldFrom,
                abuseRejectFrom);
    }

    public ModerationSettings withWords(Set<String> bannedWords, Set<String> suspectWords) {
        return new ModerationSettings(
                mode,
                closed,
                approveBelow,
                rejectFrom,
                bannedWords,
                suspectWords,
                maxLinks,
                blockedLinkDomains,
                shortenerDomains,
                disposableEmail,
                dnsUnavailable,
                floodWindow,
                maxPerEmail,
                maxPerIp,
                duplicateWindow,
                nearDuplicateBits,
                trustedAfter,
                abuseHoldFrom,
                abuseRejectFrom);
    }

    public ModerationSettings withLinks(int maxLinks, Set<String> blockedLinkDomains, Set<String> shortenerDomains) {
        return new ModerationSettings(
                mode,
                closed,
                approveBelow,
                rejectFrom,
                bannedWords,
                suspectWords,
                maxLinks,
                blockedLinkDomains,
                shortenerDomains,
                disposableEmail,
                dnsUnavailable,
                floodWindow,
                maxPerEmail,
                maxPerIp,
                duplicateWindow,
                nearDuplicateBits,
                trustedAfter,
                abuseHoldFrom,
                abuseRejectFrom);
    }

    public ModerationSettings withEmailPolicy(Verdict disposableEmail, Verdict dnsUnavailable) {
        return new ModerationSettings(
                mode,
                closed,
                approveBelow,
                rejectFrom,
                bannedWords,
                suspectWords,
                maxLinks,
                blockedLinkDomains,
                shortenerDomains,
                disposableEmail,
                dnsUnavailable,
                floodWindow,
                maxPerEmail,
                maxPerIp,
                duplicateWindow,
                nearDuplicateBits,
                trustedAfter,
                abuseHoldFrom,
                abuseRejectFrom);
    }

    public ModerationSettings withFloods(Duration floodWindow, int maxPerEmail, int maxPerIp) {
        return new ModerationSettings(
                mode,
                closed,
                approveBelow,
                rejectFrom,
                bannedWords,
                suspectWords,
                maxLinks,
                blockedLinkDomains,
                shortenerDomains,
                disposableEmail,
                dnsUnavailable,
                floodWindow,
                maxPerEmail,
                maxPerIp,
                duplicateWindow,
                nearDuplicateBits,
                trustedAfter,
                abuseHoldFrom,
                abuseRejectFrom);
    }

    public ModerationSettings withTrustedAfter(int trustedAfter) {
        return new ModerationSettings(
                mode,
                closed,
                approveBelow,
                rejectFrom,
                bannedWords,
                suspectWords,
                maxLinks,
                blockedLinkDomains,
                shortenerDomains,
                disposableEmail,
                dnsUnavailable,
                floodWindow,
                maxPerEmail,
                maxPerIp,
                duplicateWindow,
                nearDuplicateBits,
                trustedAfter,
                abuseHoldFrom,
                abuseRejectFrom);
    }

    /** Hold abuse from {@code holdFrom}; reject it from {@code rejectAbuseFrom}, or never when that is {@code null}. */
    public ModerationSettings withAbuseThresholds(double holdFrom, @Nullable Double rejectAbuseFrom) {
        return new ModerationSettings(
                mode,
                closed,
                approveBelow,
                rejectFrom,
                bannedWords,
                suspectWords,
                maxLinks,
                blockedLinkDomains,
                shortenerDomains,
                disposableEmail,
                dnsUnavailable,
                floodWindow,
                maxPerEmail,
                maxPerIp,
                duplicateWindow,
                nearDuplicateBits,
                trustedAfter,
                holdFrom,
                rejectAbuseFrom);
    }

    /** A short, stable fingerprint of these settings, recorded with every decision as the rules version. */
    public String version() {
        String canonical = mode + "|" + closed + "|" + approveBelow + "|" + rejectFrom + "|"
                + new TreeSet<>(bannedWords)
                + "|" + new TreeSet<>(suspectWords) + "|" + maxLinks + "|" + new TreeSet<>(blockedLinkDomains) + "|"
                + new TreeSet<>(shortenerDomains) + "|" + disposableEmail + "|" + dnsUnavailable + "|" + floodWindow
                + "|" + maxPerEmail + "|" + maxPerIp + "|" + duplicateWindow + "|" + nearDuplicateBits + "|"
                + trustedAfter + "|" + abuseHoldFrom + "|" + abuseRejectFrom;
        return "rules-1/" + String.format("%08x", canonical.hashCode());
    }
}
