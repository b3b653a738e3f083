package dev.talkback.moderation.rules;

import dev.talkback.engine.BanList;
import dev.talkback.engine.ModerationSettings;
import dev.talkback.engine.Verdict;
import dev.talkback.moderation.ModerationProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The settings and bans in force, as every automatic decision reads them. Each instance keeps a snapshot in memory and
 * re-reads both collections every {@code moderation.rules-refresh} (2 s by default), and at once after a change made
 * through its own API; so a change reaches every instance within seconds without a change stream (which
 * mongo-java-server lacks) and without a database round trip per decision.
 *
 * <p>It is the engine's {@link BanList} (the active bans of the snapshot), and it maps the stored site and article
 * settings to the engine's {@link ModerationSettings}. One settings instance is kept per distinct pair of stored
 * documents, across refreshes, because the engine compiles the word lists once per instance: re-reading unchanged
 * settings every two seconds must not make it recompile thousands of words.
 */
@Service
public class ActiveRules implements SchedulingConfigurer, BanList {

    private static final Logger log = LoggerFactory.getLogger(ActiveRules.class);

    private final ReactiveMongoTemplate mongo;
    private final ModerationProperties properties;
    /** Engine settings by the stored documents they were built from (equal documents, same instance). */
    private final Map<SourceKey, ModerationSettings> mapped = new ConcurrentHashMap<>();

    private volatile @Nullable Snapshot snapshot;

    private record SourceKey(Optional<Settings> site, Optional<Settings> article) {}

    ActiveRules(ReactiveMongoTemplate mongo, ModerationProperties properties, Clock clock) {
        this.mongo = mongo;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        Duration period = properties.rulesRefresh();
        tasks.addFixedDelayTask(new FixedDelayTask(this::refreshNow, period, period));
    }

    private void refreshNow() {
        try {
            refresh().block(properties.storeTimeout());
        } catch (RuntimeException e) {
            // keep the last snapshot: rules that are a few seconds old beat no decisions at all
            log.warn("Could not refresh settings and bans: {}", e.getClass().getName());
        }
    }

    /** Re-reads settings and bans now. */
    public Mono<Snapshot> refresh() {
        return Mono.zip(
                        mongo.findAll(Settings.class).collectMap(Settings::id, Function.identity()),
                        mongo.findAll(dev.talkback.moderation.rules.Ban.class).collectList())
                .map(loaded -> new Snapshot(loaded.getT1(), loaded.getT2()))
                .doOnNext(loaded -> snapshot = loaded);
    }

    private Snapshot current() {
        Snapshot current = snapshot;
        if (current == null) {
            current = refresh().block(properties.storeTimeout());
        }
        if (current == null) {
            throw new IllegalStateException("Settings and bans could not be loaded");
        }
        return current;
    }

    /**
     * The engine settings for a new comment on the article: the article's members over the site's over the service
     * defaults. The same instance is returned until the stored settings change.
     */
    public ModerationSettings settingsFor(String articleId) {
        Snapshot current = current();
        var key = new SourceKey(
                Optional.ofNullable(current.settings().get(Settings.SITE)),
                Optional.ofNullable(current.settings().get(Settings.articleId(articleId))));
        ModerationSettings found = mapped.get(key);
        if (found == null) {
            if (mapped.size() >= 10_000) {
                mapped.clear();
            }
            found = mapped.computeIfAbsent(key, k -> map(k.site(), k.article(), properties));
        }
        return found;
    }

    /**
     * When readers' reports put a published comment on the article in the reported queue, and whether it is hidden
     * meanwhile: each member of the article's settings over the site's over the {@code moderation.reports.*}
     * properties. From the last snapshot (read first if there is none yet), without blocking.
     */
    public Mono<ModerationProperties.Reports> reportsFor(String articleId) {
        Snapshot current = snapshot;
        return (current != null ? Mono.just(current) : refresh())
                .map(loaded -> reports(
                        Optional.ofNullable(loaded.settings().get(Settings.SITE)),
                        Optional.ofNullable(loaded.settings().get(Settings.articleId(articleId))),
                        properties.reports()));
    }

    static ModerationProperties.Reports reports(
            Optional<Settings> site, Optional<Settings> article, ModerationProperties.Reports defaults) {
        Optional<Settings.Reports> siteReports = site.map(Settings::reports);
        Optional<Settings.Reports> articleReports = article.map(Settings::reports);
        return new ModerationProperties.Reports(
                pick(siteReports, articleReports, Settings.Reports::threshold).orElse(defaults.threshold()),
                pick(siteReports, articleReports, Settings.Reports::noticeThreshold)
                        .orElse(defaults.noticeThreshold()),
                pick(siteReports, articleReports, Settings.Reports::hideWhileReported)
                        .orElse(defaults.hideWhileReported()));
    }

    /** The engine's ban check: the first active ban (as last read) that catches the author. */
    @Override
    public Optional<BanList.Ban> find(
            @Nullable String email, @Nullable String domain, @Nullable String ip, Instant now) {
        for (dev.talkback.moderation.rules.Ban ban : current().bans()) {
            if (!ban.activeAt(now)) {
                continue;
            }
            boolean caught = switch (ban.type()) {
                case EMAIL -> email != null && email.toLowerCase(Locale.ROOT).equals(ban.value());
                case DOMAIN -> domain != null && (domain.equals(ban.value()) || domain.endsWith("." + ban.value()));
                case IP, CIDR -> ip != null && ban.matches(null, ip);
            };
            if (caught) {
                BanList.Kind kind = switch (ban.type()) {
                    case EMAIL -> BanList.Kind.EMAIL;
                    case DOMAIN -> BanList.Kind.DOMAIN;
                    case IP, CIDR -> BanList.Kind.NETWORK;
                };
                return Optional.of(new BanList.Ban(kind, ban.value(), ban.reason(), ban.expiresAt()));
            }
        }
        return Optional.empty();
    }

    static ModerationSettings map(Optional<Settings> site, Optional<Settings> article, ModerationProperties defaults) {
        ModerationSettings s = ModerationSettings.defaults();
        String mode = pick(site, article, Settings::mode).orElse("POST");
        s = s.withMode(ModerationSettings.Mode.valueOf(mode));
        s = s.withClosed(pick(site, article, Settings::closed).orElse(false));
        Settings.Thresholds thresholds = pick(site, article, Settings::thresholds)
                .orElse(new Settings.Thresholds(
                        defaults.spam().approveBelow(), defaults.spam().rejectFrom()));
        s = s.withSpamThresholds(thresholds.hold(), thresholds.reject());
        Set<String> banned = new LinkedHashSet<>(site.map(Settings::bannedWords)
                .orElse(defaults.bannedWords().stream()
                        .map(ActiveRules::normalised)
                        .toList()));
        article.map(Settings::bannedWords).ifPresent(banned::addAll);
        Set<String> suspect = new LinkedHashSet<>(site.map(Settings::suspectWords)
                .orElse(defaults.suspectWords().stream()
                        .map(ActiveRules::normalised)
                        .toList()));
        article.map(Settings::suspectWords).ifPresent(suspect::addAll);
        s = s.withWords(banned, suspect);
        Set<String> blocked =
                new LinkedHashSet<>(site.map(Settings::blockedLinkDomains).orElse(List.of()));
        article.map(Settings::blockedLinkDomains).ifPresent(blocked::addAll);
        Set<String> shorteners = pick(site, article, Settings::shortenerDomains)
                .<Set<String>>map(Set::copyOf)
                .orElse(ModerationSettings.DEFAULT_SHORTENERS);
        s = s.withLinks(pick(site, article, Settings::maxLinks).orElse(defaults.maxLinks()), blocked, shorteners);
        s = s.withEmailPolicy(
                pick(site, article, Settings::disposableEmail)
                        .map(Verdict::valueOf)
                        .orElse(s.disposableEmail()),
                pick(site, article, Settings::dnsUnavailable)
                        .map(Verdict::valueOf)
                        .orElse(s.dnsUnavailable()));
        Optional<Settings.Floods> floods = pick(site, article, Settings::floods);
        if (floods.isPresent()) {
            s = s.withFloods(
                    Duration.ofMinutes(floods.get().windowMinutes()),
                    floods.get().maxPerEmail(),
                    floods.get().maxPerIp());
        } else {
            s = s.withFloods(
                    defaults.floods().window(),
                    defaults.floods().maxPerEmail(),
                    defaults.floods().maxPerIp());
        }
        Optional<Settings.Duplicates> duplicates = pick(site, article, Settings::duplicates);
        if (duplicates.isPresent()) {
            s = new ModerationSettings(
                    s.mode(),
                    s.closed(),
                    s.approveBelow(),
                    s.rejectFrom(),
                    s.bannedWords(),
                    s.suspectWords(),
                    s.maxLinks(),
                    s.blockedLinkDomains(),
                    s.shortenerDomains(),
                    s.disposableEmail(),
                    s.dnsUnavailable(),
                    s.floodWindow(),
                    s.maxPerEmail(),
                    s.maxPerIp(),
                    Duration.ofHours(duplicates.get().windowHours()),
                    duplicates.get().maxDistanceBits(),
                    s.trustedAfter(),
                    s.abuseHoldFrom(),
                    s.abuseRejectFrom());
        }
        s = s.withTrustedAfter(pick(site, article, Settings::trustedAfter).orElse(s.trustedAfter()));
        double abuseHold = pick(site, article, Settings::abuseHoldFrom).orElse(s.abuseHoldFrom());
        // each member follows the site on its own, so an article's hold threshold may pass the site's rejection one:
        // then what is held from there is rejected from there too, as the engine only rejects what it would hold
        Double abuseReject = pick(site, article, Settings::abuseRejectFrom)
                .map(r -> Math.max(r, abuseHold))
                .orElse(null);
        return s.withAbuseThresholds(abuseHold, abuseReject);
    }

    /** The article's value, else the site's. */
    private static <S, T> Optional<T> pick(Optional<S> site, Optional<S> article, Function<S, @Nullable T> member) {
        return article.map(member).or(() -> site.map(member));
    }

    private static String normalised(String word) {
        return word.strip().toLowerCase(Locale.ROOT);
    }

    /** The settings of the site and of each article, and the bans, as last read. */
    public record Snapshot(Map<String, Settings> settings, List<dev.talkback.moderation.rules.Ban> bans) {}
}
