package dev.talkback.moderation.rules;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * Moderation settings of the site ({@code id = "site"}) or of one article ({@code id = "article:<articleId>"}). In
 * article settings an absent ({@code null}) value means "as the site"; in site settings it means the service default
 * ({@code moderation.*} properties, mode {@code POST}, open).
 *
 * @param id           {@code site} or {@code article:<articleId>}
 * @param mode         {@code PRE}: every comment waits for a moderator unless rejected; {@code POST}: published unless a
 *                     rule objects
 * @param closed       a closed article takes no more comments (they are rejected)
 * @param thresholds   spam-probability thresholds: below {@code hold} approved, from {@code reject} rejected
 * @param bannedWords  words that reject a comment (added to the site's for an article)
 * @param suspectWords words that hold a comment for a moderator
 * @param maxLinks     links allowed before a comment is held
 * @param updatedAt    when last changed
 * @param updatedBy    who last changed it
 * @param blockedLinkDomains a link to one of these domains (or a subdomain) rejects (added to the site's)
 * @param shortenerDomains   URL shorteners whose links hold; replaces the engine's list of 20 common ones
 * @param disposableEmail    verdict for a throwaway-mailbox address: APPROVE, HOLD or REJECT
 * @param dnsUnavailable     verdict when the mail domain could not be checked: APPROVE or HOLD (never REJECT)
 * @param floods             flood limits per email and per IP
 * @param duplicates         how far back and how near duplicates are looked for
 * @param trustedAfter       approved comments that make an author trusted (held less, not pre-moderated)
 * @param abuseHoldFrom      abuse score (of any category) from which a comment is held ({@code abuse.<category>})
 * @param abuseRejectFrom    abuse score from which a comment is rejected instead; absent: never rejected for abuse
 * @param reports            when readers' reports put a published comment in the reported queue, and whether it is
 *                           hidden meanwhile; each member follows the site (and the {@code moderation.reports.*}
 *                           properties) on its own
 */
@Document(collection = "settings")
public record Settings(
        @Id String id,
        @Nullable String mode,
        @Nullable Boolean closed,
        @Nullable Thresholds thresholds,
        @Nullable List<String> bannedWords,
        @Nullable List<String> suspectWords,
        @Nullable Integer maxLinks,
        @Nullable Instant updatedAt,
        @Nullable String updatedBy,
        @Nullable List<String> blockedLinkDomains,
        @Nullable List<String> shortenerDomains,
        @Nullable String disposableEmail,
        @Nullable String dnsUnavailable,
        @Nullable Floods floods,
        @Nullable Duplicates duplicates,
        @Nullable Integer trustedAfter,
        @Nullable Double abuseHoldFrom,
        @Nullable Double abuseRejectFrom,
        @Nullable Reports reports) {

    @org.springframework.data.annotation.PersistenceCreator
    public Settings {}

    /** Only the members of the first version: mode, closed, thresholds, word lists, link limit. */
    public Settings(
            String id,
            @Nullable String mode,
            @Nullable Boolean closed,
            @Nullable Thresholds thresholds,
            @Nullable List<String> bannedWords,
            @Nullable List<String> suspectWords,
            @Nullable Integer maxLinks,
            @Nullable Instant updatedAt,
            @Nullable String updatedBy) {
        this(
                id,
                mode,
                closed,
                thresholds,
                bannedWords,
                suspectWords,
                maxLinks,
                updatedAt,
                updatedBy,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    static final String SITE = "site";

    /** A host name: labels of letters, digits and hyphens, at least one dot. */
    static final String DOMAIN = "(?i)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9-]{2,63}";

    static String articleId(String articleId) {
        return "article:" + articleId;
    }

    /**
     * Spam-score thresholds, between 0 and 1: at or above {@code hold} a comment is held, at or above {@code reject}
     * it is rejected.
     */
    public record Thresholds(
            @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double hold,
            @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double reject) {

        @AssertTrue(message = "hold must not be greater than reject")
        boolean isOrdered() {
            return hold == null || reject == null || hold <= reject;
        }
    }

    /**
     * Too many comments from one address or one IP within a window hold the next one ({@code flood.email},
     * {@code flood.ip}).
     */
    public record Floods(
            @NotNull @Min(1) @Max(1440) Integer windowMinutes,
            @NotNull @Min(1) @Max(10_000) Integer maxPerEmail,
            @NotNull @Min(1) @Max(100_000) Integer maxPerIp) {}

    /**
     * The same or a nearly the same text within the window: from the same author rejected, from two or more others held.
     *
     * @param windowHours     how far back
     * @param maxDistanceBits SimHash bits (of 64) up to which two texts count as near-duplicates
     */
    public record Duplicates(
            @NotNull @Min(1) @Max(Duplicates.MAX_WINDOW_HOURS)
            Integer windowHours,

            @NotNull @Min(0) @Max(7) Integer maxDistanceBits) {

        /** The longest window a site or an article can set: 30 days. */
        public static final int MAX_WINDOW_HOURS = 720;
    }

    /**
     * Readers' reports: a published comment enters the reported queue once {@code threshold} distinct addresses
     * reported it, or {@code noticeThreshold} of them filed a notice of illegal content; with
     * {@code hideWhileReported} it is held meanwhile (rule {@code reports.hidden}). Every member is optional: absent, it
     * follows the site (for an article) or the {@code moderation.reports.*} properties (for the site).
     */
    public record Reports(
            @Nullable @Min(1) @Max(100) Integer threshold,
            @Nullable @Min(1) @Max(100) Integer noticeThreshold,
            @Nullable Boolean hideWhileReported) {}

    /** The body of {@code PUT .../settings}; every member optional (absent = default, or as the site). */
    record Request(
            @Nullable @Pattern(regexp = "PRE|POST", message = "must be PRE or POST")
            String mode,

            @Nullable Boolean closed,
            @Nullable @Valid Thresholds thresholds,
            @Nullable @Size(max = 500) List<@NotBlank @Size(max = 100) String> bannedWords,
            @Nullable @Size(max = 500) List<@NotBlank @Size(max = 100) String> suspectWords,
            @Nullable @PositiveOrZero @Max(1000) Integer maxLinks,

            @Nullable @Size(max = 500)
            List<@NotBlank @Pattern(regexp = DOMAIN, message = "must be a domain name") String> blockedLinkDomains,

            @Nullable @Size(max = 500)
            List<@NotBlank @Pattern(regexp = DOMAIN, message = "must be a domain name") String> shortenerDomains,

            @Nullable @Pattern(regexp = "APPROVE|HOLD|REJECT", message = "must be APPROVE, HOLD or REJECT")
            String disposableEmail,

            @Nullable @Pattern(regexp = "APPROVE|HOLD", message = "must be APPROVE or HOLD")
            String dnsUnavailable,

            @Nullable @Valid Floods floods,
            @Nullable @Valid Duplicates duplicates,
            @Nullable @Min(1) @Max(1000) Integer trustedAfter,

            @Nullable @DecimalMin(value = "0.0", inclusive = false) @DecimalMax("1.0")
            Double abuseHoldFrom,

            @Nullable @DecimalMin(value = "0.0", inclusive = false) @DecimalMax("1.0")
            Double abuseRejectFrom,

            @Nullable @Valid Reports reports) {

        @AssertTrue(message = "abuseRejectFrom must not be less than abuseHoldFrom")
        boolean isAbuseOrdered() {
            return abuseHoldFrom == null || abuseRejectFrom == null || abuseHoldFrom <= abuseRejectFrom;
        }

        Settings toSettings(String id, Instant at, String by) {
            return new Settings(
                    id,
                    mode,
                    closed,
                    thresholds,
                    normalised(bannedWords),
                    normalised(suspectWords),
                    maxLinks,
                    at,
                    by,
                    normalised(blockedLinkDomains),
                    normalised(shortenerDomains),
                    disposableEmail,
                    dnsUnavailable,
                    floods,
                    duplicates,
                    trustedAfter,
                    abuseHoldFrom,
                    abuseRejectFrom,
                    reports == null
                                    || reports.threshold() == null
                                            && reports.noticeThreshold() == null
                                            && reports.hideWhileReported() == null
                            ? null
                            : reports);
        }

        private static @Nullable List<String> normalised(@Nullable List<String> words) {
            return words == null
                    ? null
                    : words.stream()
                            .map(w -> w.strip().toLowerCase(java.util.Locale.ROOT))
                            .distinct()
                            .toList();
        }
    }
}
