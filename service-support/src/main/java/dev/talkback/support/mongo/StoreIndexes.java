package dev.talkback.support.mongo;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.index.IndexInfo;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Creates every declared {@link CollectionIndexes} when the service starts, and is its {@code indexes} health
 * indicator.
 *
 * <p>A store that is down at start must not keep the service from starting, so the indexes are created in the
 * background, retried with back-off until they all exist. Until then the indicator is DOWN with the last failure
 * (include it in the readiness group: without its indexes a service would read whole collections on every query), and
 * every failed attempt is logged as an ERROR, since an index the store refuses (a conflicting definition, say) is a
 * fault an operator must fix, not something to retry quietly.
 */
public final class StoreIndexes implements SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(StoreIndexes.class);

    private final ReactiveMongoOperations mongo;
    private final List<CollectionIndexes> declared;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final AtomicReference<State> state = new AtomicReference<>(new State(false, null));
    private volatile @Nullable Disposable creation;

    private record State(boolean created, @Nullable Throwable lastFailure) {}

    public StoreIndexes(ReactiveMongoOperations mongo, List<CollectionIndexes> declared) {
        this(mongo, declared, Duration.ofSeconds(1), Duration.ofMinutes(1));
    }

    StoreIndexes(
            ReactiveMongoOperations mongo, List<CollectionIndexes> declared, Duration firstRetry, Duration maxRetry) {
        this.mongo = mongo;
        this.declared = List.copyOf(declared);
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
    }

    @Override
    public void start() {
        creation = Flux.fromIterable(declared)
                .concatMap(this::apply)
                .then()
                .doOnError(failure -> {
                    state.set(new State(false, failure));
                    log.error("Could not create the MongoDB indexes; retrying", failure);
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, firstRetry).maxBackoff(maxRetry))
                .subscribe(null, failure -> log.error("Gave up creating the MongoDB indexes", failure), () -> {
                    state.set(new State(true, null));
                    log.info("MongoDB indexes ready on {} collections", declared.size());
                });
    }

    /** Drops the retired indexes that exist, then creates the declared ones. */
    private Mono<Void> apply(CollectionIndexes collection) {
        var indexes = mongo.indexOps(collection.collection());
        Mono<Void> dropRetired = collection.retired().isEmpty()
                ? Mono.empty()
                : indexes.getIndexInfo()
                        .map(IndexInfo::getName)
                        .filter(collection.retired()::contains)
                        .concatMap(name -> indexes.dropIndex(name)
                                .doOnSuccess(done ->
                                        log.info("Dropped the retired index {}.{}", collection.collection(), name)))
                        .then();
        return dropRetired
                .thenMany(Flux.fromIterable(collection.indexes()).concatMap(indexes::createIndex))
                .then();
    }

    @Override
    public void stop() {
        Disposable running = creation;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable running = creation;
        return running != null && !running.isDisposed();
    }

    @Override
    public Health health() {
        State now = state.get();
        if (now.created()) {
            return Health.up().withDetail("collections", declared.size()).build();
        }
        Health.Builder down = Health.down();
        Throwable failure = now.lastFailure();
        return failure == null
                ? down.withDetail("creating", declared.size() + " collections").build()
                : down.withException(failure).build();
    }
}
