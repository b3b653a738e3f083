package dev.talkback.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The decision pipeline of design.md: normalise, bans, email, word lists, duplicates and floods, links, spam model,
 * trust, mode. Every phase that objects adds a reason; the strictest objection decides; a rejection ends the
 * pipeline. Infrastructure is reached through {@link DomainResolver}, {@link BanList}, {@link AuthorHistory} and
 * {@link RecentActivity}; settings come with each call. Thread-safe; the spam model can be replaced at any time.
 */
public final class ModerationEngine {

    /** Key of the spam probability in {@link Decision#scores()}. */
    public static final String SPAM_SCORE = "spam";
    /** Rule id of a hold because deciding took more than the budget's CPU time. */
    public static final String BUDGET_RULE = "engine.budget";

    private final EmailAddressPolicy emailPolicy;
    private final DomainResolver domainResolver;
    private final BanList banList;
    private final AuthorHistory authorHistory;
    private final RecentActivity recentActivity;
    private final Clock clock;
    private final boolean checkEmail;
    private final Duration budget;
    private final Deadline.Ticker ticker;
    private volatile SpamModel spamModel;
    private volatile AbuseModel abuseModel;
    /**
     * Word matchers and the rules version per settings instance: compiled once, since hashing or comparing lists of
     * thousands of words on every comment would cost more than the rest of the pipeline. Callers should reuse a
     * settings instance until the settings change.
     */
    private final Map<SettingsKey, Compiled> compiled = new ConcurrentHashMap<>();

    private record Compiled(WordMatcher banned, WordMatcher suspect, String version) {
    }

    /** Identity of a settings instance, as a map key. */
    private static final class SettingsKey {
        private final ModerationSettings settings;

        SettingsKey(ModerationSettings settings) {
            this.settings = settings;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SettingsKey k && k.settings == settings;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(settings);
        }
    }

    private ModerationEngine(Builder b) {
        this.emailPolicy = b.emailPolicy;
        this.domainResolver = b.domainResolver;
        this.banList = b.banList;
        this.authorHistory = b.authorHistory;
        this.recentActivity = b.recentActivity;
        this.clock = b.clock;
        this.spamModel = b.spamModel;
        this.abuseModel = b.abuseModel;
        this.checkEmail = b.checkEmail;
        this.budget = b.budget;
        this.ticker = b.ticker;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Replaces the spam model (after retraining on moderators' labels); the next decision uses it. */
    public void useSpamModel(SpamModel model) {
        this.spamModel = Objects.requireNonNull(model, "model");
    }

    public Optional<SpamModel> spamModel() {
        return Optional.ofNullable(spamModel);
    }

    /** Replaces the abuse model (after retraining on moderators' labels); the next decision uses it. */
    public void useAbuseModel(AbuseModel model) {
        this.abuseModel = Objects.requireNonNull(model, "model");
    }

    public Optional<AbuseModel> abuseModel() {
        return Optional.ofNullable(abuseModel);
    }

    /**
     * Decides on a submission under the given settings. Never throws on bad text or addresses. A decision that takes
     * more than the {@linkplain Builder#budget budget} of CPU time is cut short and held ({@value #BUDGET_RULE}).
     */
    public Decision decide(Submission submission, ModerationSettings settings) {
        return decide(submission, settings, Deadline.never()).orElseThrow();
    }

    /**
     * Decides as {@link #decide} does, unless {@code unwanted} turns true first: it is asked between the phases, and
     * when it answers true the decision is abandoned and nothing is returned. For a caller that looks for a stored
     * decision while the engine runs (a redelivered comment), without waiting for that look-up first.
     */
    public Optional<Decision> decideUnless(Submission submission, ModerationSettings settings,
            java.util.function.BooleanSupplier unwanted) {
        return decide(submission, settings, Objects.requireNonNull(unwanted, "unwanted"));
    }

    private Optional<Decision> decide(Submission submission, ModerationSettings settings,
            java.util.function.BooleanSupplier unwanted) {
        Deadline deadline = Deadline.start(budget, ticker, unwanted);
        Instant now = clock.instant();
        Judgement j = new Judgement();
        Models models = new Models(spamModel, abuseModel);
        try {
            deadline.check("start");
            return Optional.of(decide(submission, settings, deadline, now, j, models));
        } catch (Deadline.Abandoned e) {
            return Optional.empty();
        } catch (Deadline.Exceeded e) {
            j.object(Verdict.HOLD, BUDGET_RULE, "Deciding took more than the engine's budget of " + millis(budget)
                    + " of CPU time (stopped after " + millis(deadline.spent()) + ", in the " + e.getMessage()
                    + " phase): the comment is held for a person to judge.", null);
            return Optional.of(j.decision(compiled(settings).version(), models.version(), now));
        }
    }

    private static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    /** The models of one decision, read once so that a swap during it does not mix versions. */
    private record Models(@org.jspecify.annotations.Nullable SpamModel spam,
            @org.jspecify.annotations.Nullable AbuseModel abuse) {

        @org.jspecify.annotations.Nullable
        String version() {
            if (spam == null && abuse == null) {
                return null;
            }
            return spam == null ? abuse.version() : abuse == null ? spam.version() : spam.version() + "+"
                    + abuse.version();
        }
    }

    private Decision decide(Submission submission, ModerationSettings settings, Deadline deadline, Instant now,
            Judgement j, Models models) {
        SpamModel model = models.spam();
        NormalizedText text = NormalizedText.of(submission.text(), deadline);
        TextFingerprint fingerprint = TextFingerprint.of(text);
        j.fingerprint = fingerprint;
        deadline.check("fingerprint");
        String email = submission.email() == null ? null : submission.email().trim();
        String domain = email == null ? null : EmailAddressPolicy.asciiDomain(email);
        // asked first, read after the other checks: a store answers it while they run (the recent-activity lookup
        // is another round trip)
        CompletionStage<AuthorHistory.Record> historyAnswer = email == null
                ? CompletableFuture.completedFuture(AuthorHistory.Record.NONE) : authorHistory.ofAsync(email);
        if (settings.closed()) {
            j.object(Verdict.REJECT, "article.closed", "The article is closed for comments.",
                    "This article no longer takes comments.");
        }
        if (!j.rejected()) {
            banList.find(email == null ? null : email.toLowerCase(Locale.ROOT), domain, submission.clientIp(), now)
                    .ifPresent(ban -> j.object(Verdict.REJECT, "ban." + ban.kind().name().toLowerCase(Locale.ROOT),
                            "The author is banned (" + ban.kind().name().toLowerCase(Locale.ROOT) + "): "
                                    + ban.reason() + (ban.expiresAt() == null ? "." : ", until " + ban.expiresAt() + "."),
                            "You may not comment on this site."));
        }
        if (!j.rejected() && checkEmail) {
            judgeEmail(email, settings, j);
        }
        if (!j.rejected()) {
            deadline.check("email");
            judgeWords(text, settings, j);
        }
        if (!j.rejected()) {
            deadline.check("words");
            judgeActivity(submission, email, fingerprint, settings, now, j);
        }
        if (!j.rejected()) {
            deadline.check("activity");
            judgeLinks(text, settings, j);
        }
        if (!j.rejected() && models.abuse() != null) {
            deadline.check("links");
            judgeAbuse(models.abuse().assess(text), settings, j);
        }
        AuthorHistory.Record history = answer(historyAnswer);
        boolean trusted = history.approved() >= settings.trustedAfter() && history.approved() > history.rejected();
        if (!j.rejected() && model != null) {
            deadline.check("abuse model");
            double p = model.spamProbability(text);
            j.scores.put(SPAM_SCORE, p);
            String percent = String.format(Locale.ROOT, "%.0f %%", 100 * p);
            if (p >= settings.rejectFrom()) {
                j.object(Verdict.REJECT, "spam.likely", "The spam filter rates this comment " + percent
                        + " likely to be spam (rejects from " + pct(settings.rejectFrom()) + ").",
                        "The comment looks like spam.");
            } else if (p >= settings.approveBelow() && !trusted) {
                j.object(Verdict.HOLD, "spam.uncertain", "The spam filter is unsure: " + percent
                        + " likely to be spam (approves below " + pct(settings.approveBelow()) + ").", null);
            }
        }
        if (!j.rejected() && history.rejected() >= 2 && history.rejected() > history.approved()) {
            j.object(Verdict.HOLD, "trust.poor-history", "The author had " + history.rejected()
                    + " comments rejected and " + history.approved() + " approved.", null);
        }
        if (!j.rejected() && settings.mode() == ModerationSettings.Mode.PRE && !trusted) {
            j.object(Verdict.HOLD, "mode.pre-moderation", "The article is pre-moderated and the author is not yet "
                    + "trusted (" + history.approved() + " of " + settings.trustedAfter() + " approved comments).", null);
        }
        if (!j.rejected()) {
            deadline.check("spam model");
        }
        if (j.reasons.isEmpty()) {
            j.reasons.add(new Reason(Decision.PASSED, "No rule objected to this comment."));
        }
        return j.decision(compiled(settings).version(), models.version(), now);
    }

    /**
     * Every category's score is recorded; each at or above the hold threshold adds a reason naming the words that
     * raised it. Rejection only where the site set a threshold for it; identity mentions alone are never scored.
     */
    private static void judgeAbuse(AbuseModel.Assessment assessment, ModerationSettings settings, Judgement j) {
        for (AbuseCategory c : AbuseCategory.values()) {
            j.scores.put(c.scoreKey(), assessment.score(c));
            if (!assessment.evidence(c).isEmpty()) {
                j.evidence.put(c.scoreKey(), assessment.evidence(c));
            }
        }
        for (AbuseCategory c : assessment.atLeast(settings.abuseHoldFrom())) {
            double p = assessment.score(c);
            boolean reject = settings.abuseRejectFrom() != null && p >= settings.abuseRejectFrom();
            List<String> words = assessment.evidence(c);
            j.object(reject ? Verdict.REJECT : Verdict.HOLD, c.ruleId(), "The abuse model rates this comment "
                    + pct(p) + " likely to contain " + c.description() + " (" + (reject ? "rejects from "
                            + pct(settings.abuseRejectFrom()) : "holds from " + pct(settings.abuseHoldFrom())) + ")"
                    + (words.isEmpty() ? "." : ": " + String.join(", ", words.stream().map(w -> "\"" + w + "\"")
                            .toList()) + "."),
                    c.advice());
            j.advice.add(c.advice());
        }
    }

    /** Waits for an answer; a failure is thrown as it was raised (not wrapped), as a direct call would. */
    private static <T> T answer(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void judgeEmail(String email, ModerationSettings settings, Judgement j) {
        EmailAddressPolicy.Check check = emailPolicy.check(email);
        switch (check.finding()) {
            case INVALID -> j.object(Verdict.REJECT, "email.invalid", "The author's email address " + check.reason()
                    + ".", "The email address is not valid.");
            case DISPOSABLE -> {
                if (settings.disposableEmail() != Verdict.APPROVE) {
                    j.object(settings.disposableEmail(), "email.disposable", "The author's email address "
                            + check.reason() + " (" + check.domain() + ").", "Please use a permanent email address.");
                }
            }
            case VALID -> {
            }
        }
        if (j.rejected() || check.domain() == null) {
            return;
        }
        DomainResolver.Status status;
        try {
            status = domainResolver.lookup(check.domain());
        } catch (RuntimeException e) {
            status = DomainResolver.Status.UNAVAILABLE;
        }
        if (status == DomainResolver.Status.NO_MAIL_DOMAIN) {
            j.object(Verdict.REJECT, "email.no-mail-domain", "The domain " + check.domain()
                    + " of the author's address has no mail server (no MX or address records).",
                    "The email address cannot receive mail.");
        } else if (status == DomainResolver.Status.UNAVAILABLE && settings.dnsUnavailable() != Verdict.APPROVE) {
            j.object(settings.dnsUnavailable(), "email.dns-unavailable", "The domain " + check.domain()
                    + " could not be checked (DNS did not answer in time).", null);
        }
    }

    private void judgeWords(NormalizedText text, ModerationSettings settings, Judgement j) {
        Set<String> banned = compiled(settings).banned().find(text);
        if (!banned.isEmpty()) {
            j.object(Verdict.REJECT, "words.banned", "The comment contains banned words: " + String.join(", ", banned)
                    + ".", "The comment contains words that are not allowed on this site.");
            return;
        }
        Set<String> suspect = compiled(settings).suspect().find(text);
        if (!suspect.isEmpty()) {
            j.object(Verdict.HOLD, "words.suspect", "The comment contains words to review: "
                    + String.join(", ", suspect) + ".", null);
        }
    }

    private Compiled compiled(ModerationSettings settings) {
        SettingsKey key = new SettingsKey(settings);
        Compiled c = compiled.get(key);
        if (c == null) {
            if (compiled.size() >= 256) {
                compiled.clear();
            }
            c = new Compiled(new WordMatcher(settings.bannedWords()), new WordMatcher(settings.suspectWords()),
                    settings.version());
            compiled.put(key, c);
        }
        return c;
    }

    private void judgeActivity(Submission submission, String email, TextFingerprint fingerprint,
            ModerationSettings settings, Instant now, Judgement j) {
        RecentActivity.Snapshot recent = recentActivity.lookup(new RecentActivity.Probe(email, submission.clientIp(),
                fingerprint, now.minus(settings.floodWindow()), now.minus(settings.duplicateWindow())));
        if (fingerprint.words() >= 4) {
            int sameAuthor = 0;
            Set<String> otherAuthors = new java.util.HashSet<>();
            for (RecentActivity.PastComment past : recent.similar()) {
                if (past.commentId().equals(submission.commentId())) {
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
                j.object(Verdict.REJECT, "duplicate.same-author", "The author posted the same or nearly the same text "
                        + sameAuthor + " time(s) within " + settings.duplicateWindow() + ".",
                        "You already posted this comment.");
                return;
            }
            if (otherAuthors.size() >= 2) {
                j.object(Verdict.HOLD, "duplicate.across-authors", otherAuthors.size()
                        + " other authors posted the same or nearly the same text within "
                        + settings.duplicateWindow() + " (a campaign?).", null);
            }
        }
        if (recent.byEmail() >= settings.maxPerEmail()) {
            j.object(Verdict.HOLD, "flood.email", "The author already sent " + recent.byEmail() + " comments within "
                    + settings.floodWindow() + " (limit " + settings.maxPerEmail() + ").", null);
        }
        if (recent.byIp() >= settings.maxPerIp()) {
            j.object(Verdict.HOLD, "flood.ip", recent.byIp() + " comments came from this IP address within "
                    + settings.floodWindow() + " (limit " + settings.maxPerIp() + ").", null);
        }
    }

    private static void judgeLinks(NormalizedText text, ModerationSettings settings, Judgement j) {
        // each domain named once, however many links go there
        Set<String> blocked = new java.util.LinkedHashSet<>();
        Set<String> shortened = new java.util.LinkedHashSet<>();
        for (NormalizedText.Link link : text.links()) {
            String domain = link.onAnyOf(settings.blockedLinkDomains());
            if (domain != null) {
                blocked.add(domain);
            }
            domain = link.onAnyOf(settings.shortenerDomains());
            if (domain != null) {
                shortened.add(domain);
            }
        }
        if (!blocked.isEmpty()) {
            j.object(Verdict.REJECT, "links.blocked-domain", "The comment links to blocked domains: "
                    + String.join(", ", blocked) + ".", "The comment links to a site that is not allowed here.");
            return;
        }
        if (!shortened.isEmpty()) {
            j.object(Verdict.HOLD, "links.shortener", "The comment hides a link behind a URL shortener ("
                    + String.join(", ", shortened) + ").", null);
        }
        int links = text.links().size();
        if (links > settings.maxLinks()) {
            j.object(Verdict.HOLD, "links.too-many", "The comment contains " + links + " links; the limit is "
                    + settings.maxLinks() + ".", null);
        }
    }

    private static String pct(double p) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * p);
    }

    private static final class Judgement {
        Verdict verdict = Verdict.APPROVE;
        final List<Reason> reasons = new ArrayList<>();
        final Map<String, Double> scores = new HashMap<>();
        final Map<String, List<String>> evidence = new HashMap<>();
        /** What the author could change, when a hold or rejection has a remedy the author can apply. */
        final List<String> advice = new ArrayList<>();
        String publicReason;
        TextFingerprint fingerprint;

        Decision decision(String rulesVersion, String modelVersion, Instant now) {
            String shown = publicReason;
            if (shown == null && verdict == Verdict.HOLD && !advice.isEmpty()) {
                shown = String.join(" ", advice);
            }
            return new Decision(verdict, reasons, shown, rulesVersion, scores, modelVersion, fingerprint, now,
                    evidence);
        }

        void object(Verdict v, String ruleId, String message, String publicMessage) {
            reasons.add(new Reason(ruleId, message));
            if (v == Verdict.REJECT && publicReason == null) {
                publicReason = publicMessage;
            }
            verdict = verdict.strictest(v);
        }

        boolean rejected() {
            return verdict == Verdict.REJECT;
        }
    }

    /** Builds an engine; everything but the email policy is optional. */
    public static final class Builder {
        private EmailAddressPolicy emailPolicy = new EmailAddressPolicy();
        private DomainResolver domainResolver = DomainResolver.notChecked();
        private BanList banList = BanList.none();
        private AuthorHistory authorHistory = AuthorHistory.none();
        private RecentActivity recentActivity = RecentActivity.none();
        private Clock clock = Clock.systemUTC();
        private SpamModel spamModel;
        private AbuseModel abuseModel;
        private boolean checkEmail = true;
        private Duration budget;
        private Deadline.Ticker ticker = Deadline.Ticker.SYSTEM;

        public Builder emailPolicy(EmailAddressPolicy v) {
            emailPolicy = Objects.requireNonNull(v);
            return this;
        }

        public Builder domainResolver(DomainResolver v) {
            domainResolver = Objects.requireNonNull(v);
            return this;
        }

        public Builder banList(BanList v) {
            banList = Objects.requireNonNull(v);
            return this;
        }

        public Builder authorHistory(AuthorHistory v) {
            authorHistory = Objects.requireNonNull(v);
            return this;
        }

        public Builder recentActivity(RecentActivity v) {
            recentActivity = Objects.requireNonNull(v);
            return this;
        }

        public Builder clock(Clock v) {
            clock = Objects.requireNonNull(v);
            return this;
        }

        /** The spam model; without one the spam phase is skipped. */
        public Builder spamModel(SpamModel v) {
            spamModel = v;
            return this;
        }

        /** The abuse model; without one the abuse phase is skipped. */
        public Builder abuseModel(AbuseModel v) {
            abuseModel = v;
            return this;
        }

        /** Whether to judge the author's address (default true; the command line judges text alone). */
        public Builder checkEmail(boolean v) {
            checkEmail = v;
            return this;
        }

        /**
         * The most CPU time one decision may take; a decision that needs more is held ({@value #BUDGET_RULE}) instead
         * of running on. None by default (the command line and the benchmarks measure the whole pipeline).
         */
        public Builder budget(Duration v) {
            if (v != null && (v.isNegative() || v.isZero())) {
                throw new IllegalArgumentException("The engine's budget must be positive: " + v);
            }
            budget = v;
            return this;
        }

        /** The clocks the budget is measured with (tests). */
        Builder ticker(Deadline.Ticker v) {
            ticker = Objects.requireNonNull(v);
            return this;
        }

        public ModerationEngine build() {
            return new ModerationEngine(this);
        }
    }
}
