package dev.talkback.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The decision pipeline of design.md: the text is normalised once, then the {@link Phase}s judge it in order (article
 * closed, bans, email, word lists, duplicates and floods, links, abuse model, spam model, trust, mode). Every phase
 * that objects adds a reason; the strictest objection decides; a rejection ends the pipeline. Infrastructure is
 * reached through {@link DomainResolver}, {@link BanList}, {@link AuthorHistory} and {@link RecentActivity}; settings
 * come with each call. Thread-safe; the models can be replaced at any time.
 */
public final class ModerationEngine {

    /** Key of the spam probability in {@link Decision#scores()}. */
    public static final String SPAM_SCORE = SpamPhase.SCORE;
    /** Rule id of a hold because deciding took more than the budget's CPU time. */
    public static final String BUDGET_RULE = "engine.budget";

    private final List<Phase> phases;
    private final AuthorHistory authorHistory;
    private final Clock clock;
    private final @Nullable Duration budget;
    private final Deadline.Ticker ticker;
    private volatile @Nullable SpamModel spamModel;
    private volatile @Nullable AbuseModel abuseModel;
    /**
     * Word matchers and the rules version per settings instance: compiled once, since hashing or comparing lists of
     * thousands of words on every comment would cost more than the rest of the pipeline. Callers should reuse a
     * settings instance until the settings change.
     */
    private final Map<SettingsKey, Compiled> compiled = new ConcurrentHashMap<>();

    private record Compiled(WordMatcher banned, WordMatcher suspect, String version) {}

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
        List<Phase> in = new ArrayList<>();
        in.add(new ArticleClosedPhase());
        in.add(new BanPhase(b.banList));
        if (b.checkEmail) {
            in.add(new EmailPhase(b.emailPolicy, b.domainResolver));
        }
        in.add(new WordsPhase());
        in.add(new ActivityPhase(b.recentActivity));
        in.add(new LinksPhase());
        in.add(new AbusePhase());
        in.add(new SpamPhase());
        in.add(new TrustPhase());
        in.add(new ModePhase());
        this.phases = List.copyOf(in);
        this.authorHistory = b.authorHistory;
        this.clock = b.clock;
        this.spamModel = b.spamModel;
        this.abuseModel = b.abuseModel;
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

    /** What {@link #warmUp} decides: plain, linked, shouted and accented text, as readers write. */
    private static final List<String> WARM_UP_TEXTS = List.of(
            "The council's plan for the harbour leaves out the cost of dredging; the 2019 report said as much.",
            "Read the full budget here: https://example.org/budget and http://bit.ly/x2 before you judge.",
            "THIS IS A DISGRACE!!! Who voted for this?? Ça suffit, vraiment. Grüße aus Köln.");

    /**
     * Decides a few sample comments with this engine's phases and models but none of its stores (no bans, history,
     * activity or mail-domain look-ups, so nothing is read or written), for the start-up: the first decision of a
     * fresh JVM otherwise spends its CPU budget loading and first running the code, and is held as over budget.
     */
    public void warmUp() {
        ModerationEngine offline = builder()
                .spamModel(spamModel)
                .abuseModel(abuseModel)
                .clock(clock)
                .build();
        ModerationSettings settings = ModerationSettings.defaults();
        for (String text : WARM_UP_TEXTS) {
            offline.decide(
                    new Submission(
                            "warm-up",
                            "warm-up",
                            "Warm Up",
                            "warm.up@example.org",
                            "https://example.org/",
                            text,
                            "192.0.2.1"),
                    settings);
        }
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
    public Optional<Decision> decideUnless(
            Submission submission, ModerationSettings settings, java.util.function.BooleanSupplier unwanted) {
        return decide(submission, settings, Objects.requireNonNull(unwanted, "unwanted"));
    }

    private Optional<Decision> decide(
            Submission submission, ModerationSettings settings, java.util.function.BooleanSupplier unwanted) {
        Deadline deadline = Deadline.start(budget, ticker, unwanted);
        Instant now = clock.instant();
        Judgement judgement = new Judgement();
        // read once, so that a model swapped during the decision does not mix versions
        SpamModel spam = spamModel;
        AbuseModel abuse = abuseModel;
        String modelVersion = modelVersion(spam, abuse);
        Compiled rules = compiled(settings);
        TextFingerprint fingerprint = null;
        try {
            deadline.check("start");
            NormalizedText text = NormalizedText.of(submission.text(), deadline);
            fingerprint = TextFingerprint.of(text);
            deadline.check("fingerprint");
            String email = DecisionInput.emailOf(submission);
            // asked first, waited for by the phases that need it: a store answers it while the others run (the
            // recent-activity lookup is another round trip)
            CompletionStage<AuthorHistory.Record> history = email == null
                    ? CompletableFuture.completedFuture(AuthorHistory.Record.NONE)
                    : authorHistory.ofAsync(email);
            DecisionInput input = new DecisionInput(
                    submission,
                    settings,
                    rules.banned(),
                    rules.suspect(),
                    text,
                    fingerprint,
                    now,
                    spam,
                    abuse,
                    history);
            for (Phase phase : phases) {
                phase.judge(input, judgement);
                if (judgement.rejected()) {
                    break;
                }
                deadline.check(phase.name());
            }
        } catch (Deadline.Abandoned e) {
            return Optional.empty();
        } catch (Deadline.Exceeded e) {
            judgement.object(
                    Verdict.HOLD,
                    BUDGET_RULE,
                    "Deciding took more than the engine's budget of "
                            + millis(budget) + " of CPU time (stopped after " + millis(deadline.spent()) + ", in the "
                            + e.getMessage() + " phase): the comment is held for a person to judge.",
                    null);
        }
        return Optional.of(judgement.decision(fingerprint, rules.version(), modelVersion, now));
    }

    private static String millis(@Nullable Duration d) {
        return d == null ? "none" : String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    private static @Nullable String modelVersion(@Nullable SpamModel spam, @Nullable AbuseModel abuse) {
        if (spam == null && abuse == null) {
            return null;
        }
        return spam == null ? abuse.version() : abuse == null ? spam.version() : spam.version() + "+" + abuse.version();
    }

    private Compiled compiled(ModerationSettings settings) {
        SettingsKey key = new SettingsKey(settings);
        Compiled c = compiled.get(key);
        if (c == null) {
            if (compiled.size() >= 256) {
                compiled.clear();
            }
            c = new Compiled(
                    new WordMatcher(settings.bannedWords()),
                    new WordMatcher(settings.suspectWords()),
                    settings.version());
            compiled.put(key, c);
        }
        return c;
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
