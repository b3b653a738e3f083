package dev.talkback.moderation.rules;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Service;

import reactor.core.publisher.Mono;

import dev.talkback.moderation.ModerationProperties;

/**
 * The settings and bans in force, as every automatic decision reads them. Each instance keeps a snapshot in memory and
 * re-reads both collections every {@code moderation.rules-refresh} (2 s by default), and at once after a change made
 * through its own API; so a change reaches every instance within seconds without a change stream (which
 * mongo-java-server lacks) and without a database round trip per decision.
 */
@Service
public class ActiveRules implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ActiveRules.class);

    private final ReactiveMongoTemplate mongo;
    private final ModerationProperties properties;
    private final Clock clock;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "rules-refresh");
        thread.setDaemon(true);
        return thread;
    });

    private volatile @Nullable Snapshot snapshot;

    ActiveRules(ReactiveMongoTemplate mongo, ModerationProperties properties, Clock clock) {
        this.mongo = mongo;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void afterPropertiesSet() {
        long period = properties.rulesRefresh().toMillis();
        refresher.scheduleWithFixedDelay(() -> {
            try {
                refresh().block(properties.storeTimeout());
            }
            catch (RuntimeException e) {
                // keep the last snapshot: rules that are a few seconds old beat no decisions at all
                log.warn("Could not refresh settings and bans: {}", e.getClass().getName());
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
    }

    /** Re-reads settings and bans now. */
    public Mono<Snapshot> refresh() {
        return Mono.zip(
                mongo.findAll(Settings.class).collectMap(Settings::id, Function.identity()),
                mongo.findAll(Ban.class).collectList())
                .map(loaded -> new Snapshot(loaded.getT1(), loaded.getT2()))
                .doOnNext(loaded -> snapshot = loaded);
    }

    /** The rules that apply to a new comment on the article; loads them first if this instance has none yet. */
    public Effective forArticle(String articleId) {
        Snapshot current = snapshot;
        if (current == null) {
            current = refresh().block(properties.storeTimeout());
        }
        if (current == null) {
            throw new IllegalStateException("Settings and bans could not be loaded");
        }
        return current.effective(articleId, properties, clock);
    }

    /** The settings of the site and of each article, and the bans, as last read. */
    public record Snapshot(Map<String, Settings> settings, List<Ban> bans) {

        Effective effective(String articleId, ModerationProperties defaults, Clock clock) {
            Optional<Settings> site = Optional.ofNullable(settings.get(Settings.SITE));
            Optional<Settings> article = Optional.ofNullable(settings.get(Settings.articleId(articleId)));
            String mode = article.map(Settings::mode).or(() -> site.map(Settings::mode)).orElse("POST");
            boolean closed = article.map(Settings::closed).or(() -> site.map(Settings::closed)).orElse(false);
            int maxLinks = article.map(Settings::maxLinks).or(() -> site.map(Settings::maxLinks))
                    .orElse(defaults.maxLinks());
            Set<String> banned = new LinkedHashSet<>(site.map(Settings::bannedWords)
                    .orElse(defaults.bannedWords().stream().map(w -> w.strip().toLowerCase(java.util.Locale.ROOT))
                            .toList()));
            article.map(Settings::bannedWords).ifPresent(banned::addAll);
            Set<String> suspect = new LinkedHashSet<>(site.map(Settings::suspectWords).orElse(List.of()));
            article.map(Settings::suspectWords).ifPresent(suspect::addAll);
            boolean customised = site.isPresent() || article.isPresent();
            var now = clock.instant();
            return new Effective("PRE".equals(mode), closed, maxLinks, Set.copyOf(banned), Set.copyOf(suspect),
                    customised, bans.stream().filter(ban -> ban.activeAt(now)).toList());
        }
    }

    /**
     * What applies to one new comment.
     *
     * @param premoderated every comment waits for a moderator unless rejected
     * @param closed       the article takes no comments
     * @param maxLinks     links allowed before holding
     * @param bannedWords  words that reject
     * @param suspectWords words that hold
     * @param customised   whether any stored setting applies (else the engine's configured pipeline decides as is)
     * @param bans         the bans in force
     */
    public record Effective(boolean premoderated, boolean closed, int maxLinks, Set<String> bannedWords,
            Set<String> suspectWords, boolean customised, List<Ban> bans) {

        /** The first ban that catches this author, if any. */
        public Optional<Ban> banFor(@Nullable String email, @Nullable String ip) {
            return bans.stream().filter(ban -> ban.matches(email, ip)).findFirst();
        }

        /** The suspect words the text contains (whole words, case-insensitive). */
        public Set<String> suspectWordsIn(String text) {
            if (suspectWords.isEmpty()) {
                return Set.of();
            }
            Set<String> words = java.util.Arrays.stream(text.toLowerCase(java.util.Locale.ROOT)
                    .split("[^\\p{L}\\p{N}]+")).collect(Collectors.toSet());
            return suspectWords.stream().filter(words::contains).collect(Collectors.toCollection(LinkedHashSet::new));
        }
    }

}
