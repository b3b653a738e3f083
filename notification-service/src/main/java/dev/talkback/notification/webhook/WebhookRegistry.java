package dev.talkback.notification.webhook;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.support.mongo.CollectionIndexes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Every webhook of the site: the configured ones ({@code notification.webhooks.configured[n]}, read-only) and those registered
 * through the admin API, stored in collection {@code webhooks} (one document per webhook, {@code url} unique).
 * Each instance keeps a snapshot and reloads it every {@code notification.webhooks.refresh}, so a registration or a
 * removal made on one instance holds on all of them within that interval; the instance that made the change
 * reloads at once. Polling rather than a change stream: it works on every MongoDB, without an oplog.
 */
@Component
class WebhookRegistry implements SmartInitializingSingleton, SchedulingConfigurer {

    static final List<String> EVENTS = List.of("comment.published", "comment.rejected", "comment.held");

    private static final Logger log = LoggerFactory.getLogger(WebhookRegistry.class);

    /** A registered webhook as stored. The secret is stored as is: it is needed to sign each call. */
    @Document("webhooks")
    record Registered(
            @Id String id,
            String url,
            String secret,
            List<String> events,
            @Nullable String description,
            Instant createdAt) {}

    /** A webhook in effect; {@code readOnly} for the configured ones. */
    record Target(
            String id,
            String url,
            String secret,
            List<String> events,
            @Nullable String description,
            boolean readOnly,
            @Nullable Instant createdAt) {

        boolean wants(String type) {
            return events.isEmpty() || events.contains(type);
        }

        @Override
        public String toString() {
            return "Target[id=" + id + ", url=" + url + ", events=" + events + "]";
        }
    }

    private final ReactiveMongoTemplate mongo;
    private final List<Target> configured;
    private final Duration refresh;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();
    private volatile List<Target> stored = List.of();
    private final java.util.concurrent.atomic.AtomicLong loadsStarted = new java.util.concurrent.atomic.AtomicLong();
    private long appliedGeneration;

    WebhookRegistry(ReactiveMongoTemplate mongo, NotificationProperties properties) {
        this.mongo = mongo;
        this.refresh = properties.webhooks().refresh();
        this.timeout = properties.timeouts().store();
        List<Target> fromConfig = new ArrayList<>();
        for (int i = 0; i < properties.webhooks().configured().size(); i++) {
            NotificationProperties.Webhook webhook =
                    properties.webhooks().configured().get(i);
            fromConfig.add(new Target(
                    "config-" + i, webhook.url(), webhook.secret(), List.copyOf(webhook.events()), null, true, null));
        }
        this.configured = List.copyOf(fromConfig);
    }

    /** The configured webhooks, then the registered ones (oldest first). */
    List<Target> all() {
        List<Target> all = new ArrayList<>(configured);
        all.addAll(stored);
        return all;
    }

    /**
     * The webhook with this URL; if this instance does not know it yet (registered on another instance a moment
     * ago), it reloads once before giving up.
     */
    Optional<Target> byUrl(String url) {
        Optional<Target> found = find(url);
        if (found.isEmpty()) {
            reload();
            found = find(url);
        }
        return found;
    }

    private Optional<Target> find(String url) {
        return all().stream().filter(target -> target.url().equals(url)).findFirst();
    }

    boolean isConfigured(String url) {
        return configured.stream().anyMatch(target -> target.url().equals(url));
    }

    /** Stores a new webhook; fails with {@link org.springframework.dao.DuplicateKeyException} for a known URL. */
    Mono<Target> register(String url, String secret, List<String> events, @Nullable String description) {
        Registered document = new Registered(
                java.util.UUID.randomUUID().toString(), url, secret, events, description, clock.instant());
        return mongo.insert(document).map(WebhookRegistry::target).flatMap(target -> load().thenReturn(target));
    }

    /** Removes a registered webhook; empty when there is none with this id. */
    Mono<Target> remove(String id) {
        return mongo.findAndRemove(query(where("_id").is(id)), Registered.class)
                .map(WebhookRegistry::target)
                .flatMap(target -> load().thenReturn(target));
    }

    /** Reloads the registered webhooks, without blocking (for the request threads). */
    private Mono<Void> load() {
        return Mono.defer(() -> {
            long generation = loadsStarted.incrementAndGet();
            return mongo.find(new Query().with(Sort.by("createdAt")), Registered.class)
                    .map(WebhookRegistry::target)
                    .collectList()
                    .doOnNext(targets -> apply(generation, targets))
                    .then();
        });
    }

    /**
     * Keeps the result of the most recently started load: a scheduled reload that began before a registration must
     * not, by finishing later, hide the webhook the registering request just loaded.
     */
    private synchronized void apply(long generation, List<Target> targets) {
        if (generation > appliedGeneration) {
            appliedGeneration = generation;
            stored = List.copyOf(targets);
        }
    }

    /**
     * Reloads the registered webhooks, blocking (schedule and dispatcher threads); never throws (MongoDB down: the
     * last snapshot stays in effect).
     */
    void reload() {
        try {
            load().block(timeout);
        } catch (RuntimeException ex) {
            log.warn(
                    "Could not reload the registered webhooks ({}); the last known ones stay in effect",
                    ex.getClass().getName());
        }
    }

    private static Target target(Registered document) {
        return new Target(
                document.id(),
                document.url(),
                document.secret(),
                List.copyOf(document.events()),
                document.description(),
                false,
                document.createdAt());
    }

    /** One document per URL, also when two instances register the same URL at once. */
    @Bean
    static CollectionIndexes webhookIndexes() {
        return CollectionIndexes.on(Registered.class, new Index("url", Sort.Direction.ASC).unique());
    }

    /** The first load, before the listeners start: events from the start on reach the registered webhooks. */
    @Override
    public void afterSingletonsInstantiated() {
        reload();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::reload, refresh, refresh));
    }
}
