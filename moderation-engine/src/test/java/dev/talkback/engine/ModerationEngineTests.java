package dev.talkback.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ModerationEngineTests {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final InMemoryBanList bans = new InMemoryBanList();
    private final InMemoryAuthorHistory history = new InMemoryAuthorHistory();
    private final InMemoryRecentActivity activity = new InMemoryRecentActivity();
    private final StaticDomainResolver dns = new StaticDomainResolver(
            Map.of(
                    "nomail.example", DomainResolver.Status.NO_MAIL_DOMAIN,
                    "slow.example", DomainResolver.Status.UNAVAILABLE),
            DomainResolver.Status.RESOLVES);
    private final ModerationEngine engine = ModerationEngine.builder()
            .banList(bans)
            .authorHistory(history)
            .recentActivity(activity)
            .domainResolver(dns)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .spamModel(SpamModel.shipped())
            .build();
    private final ModerationSettings settings = ModerationSettings.defaults();
    private final AtomicInteger ids = new AtomicInteger();

    @Test
    void approvesAnOrdinaryCommentWithScoresAndVersions() {
        Decision d = decide("ada@example.org", "I think the council should publish the full budget before the vote.");

        assertThat(d.verdict()).isEqualTo(Verdict.APPROVE);
        assertThat(d.reasons()).extracting(Reason::ruleId).containsExactly(Decision.PASSED);
        assertThat(d.spamProbability()).hasValueSatisfying(p -> assertThat(p).isLessThan(0.2));
        assertThat(d.modelVersion()).isEqualTo(SpamModel.shipped().version());
        assertThat(d.rulesVersion()).isEqualTo(settings.version());
        assertThat(d.decidedAt()).isEqualTo(NOW);
        assertThat(d.fingerprint()).isNotNull();
    }

    @Test
    void rejectsObviousSpamWithAReasonAModeratorUnderstands() {
        Decision d = decide(
                "ada@example.org",
                "CHECK OUT MY CHANNEL!!! subscribe to my youtube channel http://www.promo-site.com free money");

        assertThat(d.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(d.reasons()).extracting(Reason::ruleId).contains("spam.likely");
        assertThat(d.reasons().get(0).message()).contains("likely to be spam");
        assertThat(d.publicReason()).isNotBlank();
    }

    @Test
    void aClosedArticleTakesNoComments() {
        Decision d = engine.decide(submission("ada@example.org", "Hello", null), settings.withClosed(true));
        assertThat(d.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(d.reasons()).extracting(Reason::ruleId).containsExactly("article.closed");
    }

    @Test
    void bansApplyByEmailDomainAndNetworkUntilTheyExpire() {
        bans.add(new BanList.Ban(BanList.Kind.EMAIL, "troll@example.org", "abuse", null));
        bans.add(new BanList.Ban(BanList.Kind.DOMAIN, "spam.example", "spam", null));
        bans.add(new BanList.Ban(BanList.Kind.NETWORK, "203.0.113.0/24", "flood", NOW.plusSeconds(60)));
        bans.add(new BanList.Ban(BanList.Kind.NETWORK, "2001:db8::/32", "flood", null));
        bans.add(new BanList.Ban(BanList.Kind.EMAIL, "old@example.org", "expired", NOW.minusSeconds(1)));

        assertThat(ruleIds(submission("Troll@Example.org", "Hello there", null)))
                .containsExactly("ban.email");
        assertThat(ruleIds(submission("a@mx.spam.example", "Hello there", null)))
                .containsExactly("ban.domain");
        assertThat(ruleIds(submission("a@example.org", "Hello there", "203.0.113.77")))
                .containsExactly("ban.network");
        assertThat(ruleIds(submission("a@example.org", "Hello there", "2001:db8::1")))
                .containsExactly("ban.network");
        assertThat(verdict(submission("old@example.org", "Hello there", "198.51.100.1")))
                .isEqualTo(Verdict.APPROVE);
        assertThat(verdict(submission("a@example.org", "Hello there", "not-an-ip")))
                .isEqualTo(Verdict.APPROVE);
    }

    @Test
    void judgesTheAddress() {
        assertThat(ruleIds(submission("not-an-address", "Hello there", null))).containsExactly("email.invalid");
        assertThat(ruleIds(submission("a@mailinator.com", "Hello there", null))).containsExactly("email.disposable");
        assertThat(ruleIds(submission("a@nomail.example", "Hello there", null)))
                .containsExactly("email.no-mail-domain");
        Decision unavailable = decide("a@slow.example", "Hello there");
        assertThat(unavailable.verdict()).isEqualTo(Verdict.HOLD);
        assertThat(unavailable.reasons()).extracting(Reason::ruleId).containsExactly("email.dns-unavailable");
        // A site may let comments through when DNS is down, but never reject them.
        assertThat(engine.decide(
                                submission("a@slow.example", "Hello there", null),
                                settings.withEmailPolicy(Verdict.REJECT, Verdict.APPROVE))
                        .verdict())
                .isEqualTo(Verdict.APPROVE);
    }

    @Test
    void aResolverThatFailsCountsAsUnavailable() {
        ModerationEngine failing = ModerationEngine.builder()
                .domainResolver(domain -> {
                    throw new IllegalStateException("boom");
                })
                .build();
        assertThat(failing.decide(submission("a@example.org", "Hello", null), settings)
                        .verdict())
                .isEqualTo(Verdict.HOLD);
    }

    @Test
    void bannedWordsRejectAndSuspectWordsHold() {
        ModerationSettings words = settings.withWords(Set.of("casino"), Set.of("lawsuit", "sue them"));
        Decision banned = engine.decide(submission("a@example.org", "Best c.a.s.i.n.o in town", null), words);
        assertThat(banned.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(banned.reasons().get(0).message()).contains("casino");
        Decision suspect = engine.decide(submission("a@example.org", "We should SUE   them, honestly", null), words);
        assertThat(suspect.verdict()).isEqualTo(Verdict.HOLD);
        assertThat(suspect.reasons()).extracting(Reason::ruleId).containsExactly("words.suspect");
    }

    @Test
    void linksCountBlockedDomainsAndShorteners() {
        ModerationSettings links = settings.withLinks(2, Set.of("evil.example"), ModerationSettings.DEFAULT_SHORTENERS);
        assertThat(engine.decide(submission("a@example.org", "see www.shop.evil.example today", null), links)
                        .reasons())
                .extracting(Reason::ruleId)
                .containsExactly("links.blocked-domain");
        assertThat(engine.decide(submission("a@example.org", "the report: bit.ly/3xYz", null), links)
                        .reasons())
                .extracting(Reason::ruleId)
                .contains("links.shortener");
        assertThat(engine.decide(
                                submission(
                                        "a@example.org",
                                        "sources: https://a.example/1 https://b.example/2 https://c.example/3",
                                        null),
                                links)
                        .reasons())
                .extracting(Reason::ruleId)
                .contains("links.too-many");
    }

    @Test
    void rejectsTheSameTextFromTheSameAuthorAndHoldsACampaign() {
        String text = "The mayor's plan for the harbour is the best thing this city has seen in years.";
        record(submission("ada@example.org", text, null));
        Decision again = decide("ADA@example.org", text.toUpperCase() + "!!");
        assertThat(again.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(again.reasons()).extracting(Reason::ruleId).containsExactly("duplicate.same-author");

        record(submission("bob@example.org", "  " + text.replace(".", "!!!"), null));
        // A changed word is a near-duplicate, a few bits away.
        Decision campaign = decide("eve@example.org", text + " Indeed.");
        assertThat(campaign.reasons()).extracting(Reason::ruleId).contains("duplicate.across-authors");
        assertThat(decide("zed@example.org", "Something else entirely about the weather and the trains today.")
                        .reasons())
                .extracting(Reason::ruleId)
                .doesNotContain("duplicate.across-authors");
    }

    @Test
    void holdsAFloodFromOneAddressOrOneIp() {
        ModerationSettings floods = settings.withFloods(Duration.ofMinutes(10), 2, 3);
        record(submission("ada@example.org", "first comment about the trains", "198.51.100.7"));
        record(submission("ada@example.org", "second comment about the buses", "198.51.100.7"));
        assertThat(engine.decide(submission("ada@example.org", "third, on bicycles", null), floods)
                        .reasons())
                .extracting(Reason::ruleId)
                .containsExactly("flood.email");
        record(submission("bob@example.org", "my view on the ferry", "198.51.100.7"));
        assertThat(engine.decide(submission("cy@example.org", "and mine on trams", "198.51.100.7"), floods)
                        .reasons())
                .extracting(Reason::ruleId)
                .containsExactly("flood.ip");
    }

    @Test
    void preModerationHoldsNewAuthorsButNotTrustedOnes() {
        ModerationSettings pre = settings.withMode(ModerationSettings.Mode.PRE);
        assertThat(engine.decide(submission("new@example.org", "Good article.", null), pre)
                        .reasons())
                .extracting(Reason::ruleId)
                .containsExactly("mode.pre-moderation");
        for (int i = 0; i < 3; i++) {
            history.recordDecision("old@example.org", Verdict.APPROVE);
        }
        assertThat(engine.decide(submission("old@example.org", "Good article.", null), pre)
                        .verdict())
                .isEqualTo(Verdict.APPROVE);
    }

    @Test
    void trustSoftensAnUncertainSpamScoreAndAPoorHistoryHolds() {
        ModerationSettings everythingUncertain = settings.withSpamThresholds(0.0, 1.0);
        assertThat(engine.decide(submission("new@example.org", "Good article.", null), everythingUncertain)
                        .reasons())
                .extracting(Reason::ruleId)
                .containsExactly("spam.uncertain");
        for (int i = 0; i < 3; i++) {
            history.recordDecision("old@example.org", Verdict.APPROVE);
        }
        assertThat(engine.decide(submission("old@example.org", "Good article.", null), everythingUncertain)
                        .verdict())
                .isEqualTo(Verdict.APPROVE);
        history.recordDecision("bad@example.org", Verdict.REJECT);
        history.recordDecision("bad@example.org", Verdict.REJECT);
        assertThat(ruleIds(submission("bad@example.org", "Good article.", null)))
                .containsExactly("trust.poor-history");
    }

    @Test
    // an engine that waited for the answer before the lookup would wait for ever
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theAuthorsHistoryIsAskedForBeforeTheRecentActivityLookupAndWaitedForAfterIt() {
        List<String> calls = new ArrayList<>();
        var historyAnswer = new CompletableFuture<AuthorHistory.Record>();
        AuthorHistory store = new AuthorHistory() {
            @Override
            public Record of(String email) {
                throw new AssertionError("asked without waiting, with ofAsync");
            }

            @Override
            public CompletionStage<Record> ofAsync(String email) {
                calls.add("history asked");
                return historyAnswer;
            }
        };
        // the store answers the history only while the lookup is under way: an engine that waited for it first, or
        // asked for it after the lookup, would not see this answer
        RecentActivity recent = probe -> {
            calls.add("recent activity");
            historyAnswer.complete(new AuthorHistory.Record(0, 2));
            return RecentActivity.Snapshot.EMPTY;
        };
        var overlapping = ModerationEngine.builder()
                .authorHistory(store)
                .recentActivity(recent)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .spamModel(SpamModel.shipped())
                .build();

        Decision d = overlapping.decide(submission("bad@example.org", "Good article.", null), settings);

        assertThat(calls).containsExactly("history asked", "recent activity");
        assertThat(d.reasons()).extracting(Reason::ruleId).containsExactly("trust.poor-history");
    }

    @Test
    void aFailureOfTheHistoryStoreIsThrownAsRaised() {
        var outage = new IllegalStateException("store down");
        var failing = ModerationEngine.builder()
                .authorHistory(new AuthorHistory() {
                    @Override
                    public Record of(String email) {
                        throw outage;
                    }

                    @Override
                    public CompletionStage<Record> ofAsync(String email) {
                        return CompletableFuture.failedFuture(outage);
                    }
                })
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();

        assertThatThrownBy(() -> failing.decide(submission("a@example.org", "Good article.", null), settings))
                .isSameAs(outage);
    }

    @Test
    void aNewModelTakesOverWithoutARestart() {
        String text = "Please read my column on the harbour at the Courier";
        SpamModel before = engine.spamModel().orElseThrow();
        List<SpamModel.LabeledComment> labels = java.util.stream.IntStream.range(0, 30)
                .mapToObj(i -> new SpamModel.LabeledComment(true, text + " part " + i))
                .toList();
        SpamModel after = before.retrainedWith(labels);
        double old = decide("a@example.org", text).spamProbability().orElseThrow();
        engine.useSpamModel(after);
        Decision d = decide("a@example.org", text);

        assertThat(d.modelVersion()).isEqualTo(after.version()).isNotEqualTo(before.version());
        assertThat(d.spamProbability().orElseThrow()).isGreaterThan(old + 0.3);
    }

    @Test
    void neverThrowsOnHostileInput() {
        for (String text : List.of(
                "",
                " ",
                "\uD800",
                "😀😀😀",
                "\u202E\u202Egnirts",
                "x".repeat(500_000),
                "http://a.example http://b.example http://c.example http://d.example",
                "<<<<>>>>&&&&;;;;")) {
            Decision d = decide("a@example.org", text);
            assertThat(d.verdict()).isNotNull();
            assertThat(d.reasons()).isNotEmpty();
        }
        assertThat(engine.decide(submission(null, "Hello", null), settings).verdict())
                .isEqualTo(Verdict.REJECT);
    }

    private Decision decide(String email, String text) {
        return engine.decide(submission(email, text, null), settings);
    }

    private Verdict verdict(Submission s) {
        return engine.decide(s, settings).verdict();
    }

    private List<String> ruleIds(Submission s) {
        return engine.decide(s, settings).reasons().stream().map(Reason::ruleId).toList();
    }

    private void record(Submission s) {
        activity.record(s, TextFingerprint.of(s.text()), NOW.minusSeconds(30));
    }

    private Submission submission(String email, String text, String ip) {
        return new Submission("c" + ids.incrementAndGet(), "article-1", "Reader", email, null, text, ip);
    }
}
