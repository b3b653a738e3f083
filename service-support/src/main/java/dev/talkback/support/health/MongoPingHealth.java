package dev.talkback.support.health;

import java.time.Duration;
import org.bson.Document;
import org.springframework.boot.health.contributor.AbstractReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Mono;

/**
 * MongoDB is up when it answers {@code ping} within the timeout. It replaces Boot's indicator (register it as the
 * bean {@code mongoHealthIndicator}, so that Boot's backs off): Boot's sends {@code hello}, which mongo-java-server
 * (the store of the tests and of the local stack) does not know, so it would report DOWN there; {@code ping} is
 * answered by MongoDB and by mongo-java-server alike.
 */
public final class MongoPingHealth extends AbstractReactiveHealthIndicator {

    private static final Document PING = new Document("ping", 1);

    private final ReactiveMongoTemplate mongo;
    private final Duration timeout;

    public MongoPingHealth(ReactiveMongoTemplate mongo, Duration timeout) {
        super("MongoDB health check failed");
        this.mongo = mongo;
        this.timeout = timeout;
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return mongo.getMongoDatabase()
                .flatMap(database -> Mono.from(database.runCommand(PING))
                        .map(answer -> (isOk(answer)
                                        ? builder.up()
                                        : builder.down().withDetail("answer", answer.toJson()))
                                .withDetail("database", database.getName())
                                .build()))
                .timeout(timeout);
    }

    private static boolean isOk(Document answer) {
        Object ok = answer.get("ok");
        return ok instanceof Number number && number.doubleValue() == 1.0;
    }
}
