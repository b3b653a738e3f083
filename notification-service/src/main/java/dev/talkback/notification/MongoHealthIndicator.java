package dev.talkback.notification;

import java.time.Duration;

import org.bson.Document;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Health contributor {@code mongo}: UP when the database answers {@code ping}. Replaces Boot's indicator, which
 * sends {@code hello}, a command mongo-java-server (our embedded store for tests and the local stack) does not
 * know; {@code ping} is answered by MongoDB and mongo-java-server alike. Gives up after
 * {@code notification.health-timeout}.
 */
@Component("mongoHealthIndicator")
class MongoHealthIndicator extends AbstractReactiveHealthIndicator {

    private final ReactiveMongoTemplate mongo;
    private final Duration timeout;

    MongoHealthIndicator(ReactiveMongoTemplate mongo, NotificationProperties properties) {
        super("MongoDB health check failed");
        this.mongo = mongo;
        this.timeout = properties.healthTimeout();
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return mongo.getMongoDatabase()
                .flatMap(database -> Mono.from(database.runCommand(new Document("ping", 1)))
                        .map(answer -> builder.up().withDetail("database", database.getName()).build()))
                .timeout(timeout);
    }
}
