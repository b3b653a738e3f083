package dev.talkback.moderation.comments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.talkback.engine.BanList;
import dev.talkback.engine.Decision;
import dev.talkback.engine.ModerationEngine;
import dev.talkback.engine.ModerationSettings;
import dev.talkback.engine.Reason;
import dev.talkback.engine.Verdict;
import dev.talkback.events.CommentModerated;
import dev.talkback.events.CommentSubmitted;
import dev.talkback.events.Topics;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.moderation.rules.ActiveRules;
import dev.talkback.support.privacy.AddressKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A redelivered submission whose decision is stored is not decided again: a unit test of {@link AutomaticModeration}
 * alone, its store and Kafka replaced, so that the store's answer comes when the test says and the engine's work can
 * be counted (the bans are its first phase). ModerationFlowTests covers redelivery on a real broker and store.
 */
class AutomaticModerationTests {

    private final AtomicInteger engineRuns = new AtomicInteger();
    private final BanList countingBans = (email, domain, ip, now) -> {
        engineRuns.incrementAndGet();
        return Optional.empty();
    };
    private final ModerationEngine engine = ModerationEngine.builder()
            .banList(countingBans)
            .budget(Duration.ofMillis(100))
            .build();
    private final ModeratedComments comments = mock(ModeratedComments.class);
    private final ActiveRules rules = mock(ActiveRules.class);
    private final FloodCounters floods = mock(FloodCounters.class);
    private final RecentFingerprints fingerprints = mock(RecentFingerprints.class);
    private final MongoRecentActivity recent = mock(MongoRecentActivity.class);
    private final CommentClients clients = mock(CommentClients.class);
    private final AddressKeys keys = new AddressKeys("a test secret of some length", "test.address-secret");

    @SuppressWarnings("unchecked")
    private final KafkaTemplate<String, CommentModerated> kafka = mock(KafkaTemplate.class);

    private final ModerationProperties properties = mock(ModerationProperties.class);
    private AutomaticModeration moderation;

    private final CommentSubmitted submitted = new CommentSubmitted(
            UUID.randomUUID(),
            Instant.now(),
            "c-1",
            "article-1",
            null,
            new CommentSubmitted.Author("Ada", "ada@example.org", null, false),
            "I think the council should publish the full budget before the vote.",
            "203.0.113.7",
            "test");

    @BeforeEach
    void setUp() {
        when(rules.settingsFor(anyString())).thenReturn(ModerationSettings.defaults());
        when(fingerprints.recordAll(any())).thenReturn(Mono.empty());
        when(clients.storeAll(any())).thenReturn(Mono.empty());
        when(clients.storeIfAbsent(any())).thenReturn(Mono.empty());
        when(kafka.send(anyString(), anyString(), any())).thenReturn(CompletableFuture.completedFuture(null));
        when(properties.storeTimeout()).thenReturn(Duration.ofSeconds(5));
        when(properties.publishTimeout()).thenReturn(Duration.ofSeconds(5));
        when(properties.statements())
                .thenReturn(new ModerationProperties.Statements("the site's comment rules", "Write to the editors."));
        when(properties.privacy())
                .thenReturn(new ModerationProperties.Privacy(
                        "", Duration.ofDays(90), ModerationProperties.ErasedComments.ANONYMISE));
        when(floods.recordAll(any())).thenReturn(Mono.empty());
        when(recent.of(any())).thenReturn(Mono.just(new BatchActivity(floods, Map.of())));
        moderation = new AutomaticModeration(
                engine,
                rules,
                comments,
                recent,
                floods,
                fingerprints,
                clients,
                keys,
                kafka,
                Clock.systemUTC(),
                properties);
    }

    @Test
    void aRedeliveredSubmissionWithAStoredDecisionIsNotDecidedAgainAndItsDecisionIsRepublished() {
        // decided differently then (held by a rule that no longer exists): what is published must be that decision
        var stored = ModeratedComment.decidedAutomatically(
                submitted,
                new Decision(
                        Verdict.HOLD,
                        List.of(new Reason("test.earlier-rule", "held by an earlier rule")),
                        null,
                        "earlier"),
                Instant.now(),
                UUID.randomUUID(),
                new ModerationProperties.Statements("the site's comment rules", "Write to the editors."),
                keys.of("ada@example.org"));
        when(comments.findAllById(List.of("c-1"))).thenReturn(Flux.just(stored));
        when(comments.insertNew(any())).thenReturn(Mono.just(new NewComments.Inserted(Set.of("c-1"), Map.of())));

        CommentModerated published = moderation.moderate(submitted);

        assertThat(engineRuns).hasValue(0);
        assertThat(published).isEqualTo(stored.currentDecisionEvent("ada@example.org"));
        assertThat(published.outcome()).isEqualTo(CommentModerated.Outcome.HELD);
        verify(kafka).send(Topics.COMMENTS_MODERATED, "c-1", stored.currentDecisionEvent("ada@example.org"));
        verify(comments, never()).insertNew(any());
        // the first handling may have stopped before the client data was stored
        verify(clients).storeIfAbsent(any(CommentClient.class));
    }

    @Test
    void aNewSubmissionIsDecidedOnceStoredAndPublished() {
        when(comments.findAllById(List.of("c-1"))).thenReturn(Flux.empty());
        when(comments.insertNew(any())).thenReturn(Mono.just(NewComments.Inserted.ALL));

        CommentModerated published = moderation.moderate(submitted);

        assertThat(engineRuns).hasValue(1);
        assertThat(published.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
        verify(comments).insertNew(any());
        verify(clients).storeAll(any());
        verify(kafka).send(eq(Topics.COMMENTS_MODERATED), eq("c-1"), eq(published));
    }

    @Test
    void aLookUpThatFailsIsNoAnswerAndTheInsertDecides() {
        when(comments.findAllById(List.of("c-1")))
                .thenReturn(Flux.error(new IllegalStateException("store unavailable")));
        when(comments.insertNew(any())).thenReturn(Mono.just(NewComments.Inserted.ALL));

        CommentModerated published = moderation.moderate(submitted);

        assertThat(engineRuns).hasValue(1);
        assertThat(published.outcome()).isEqualTo(CommentModerated.Outcome.APPROVED);
    }
}
