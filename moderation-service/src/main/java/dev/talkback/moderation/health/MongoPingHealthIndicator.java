package dev.talkback.moderation.health;

import java.time.Duration;

import org.bson.Document;

import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import reactor.core.publisher.Mono;

/**
 * MongoDB is up when it answers {@code ping}. Boot's own indicator sends {@code hello}, which mongo-java-server (the
 * store of the tests and of the local stack) does not know, so it would report DOWN there; {@code ping} is answered
 * by MongoDB and by mongo-java-server alike.
 */
final class MongoPingHealthIndicator extends AbstractReactiveHealthIndicator {

    private static final Document PING = new Document("ping", 1);

    private final ReactiveMongoTemplate mongo;
    private final Duration timeout;

    MongoPingHealthIndicator(ReactiveMongoTemplate mongo, Duration timeout) {
        super("MongoDB health check failed");
        this.mongo = mongo;
        this.timeout = timeout;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return mongo.executeCommand(PING)
                .timeout(timeout)
                .map(answer -> isOk(answer)
                        ? builder.up().build()
                        : builder.down().withDetail("answer", answer.toJson()).build());
    }

    private static boolean isOk(Document answer) {
        Object ok = answer.get("ok");
        return ok instanceof Number number && number.doubleValue() == 1.0;
    }
}
