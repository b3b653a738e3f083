package dev.talkback.moderation.comments;

import dev.talkback.moderation.ModerationProperties;
import dev.talkback.support.mongo.CollectionIndexes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A reader's IP address is kept with their report ({@link Report#clientIp()}, to count distinct reporters) for
 * {@code moderation.privacy.client-data-retention} after it was received, like a comment's client data; the report
 * stays, for the moderators and the transparency report. Removed from the field by a sweep at start and every
 * {@link #EVERY} (a report stored by {@code CommentReports} is one document; a TTL index would remove the whole
 * report), so an address may outlive its time by up to that. An open report older than the retention then counts as a
 * reporter of its own.
 */
@Component
class ReporterIpRetention implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(ReporterIpRetention.class);

    static final Duration EVERY = Duration.ofHours(1);

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;
    private final Duration retention;
    private final Duration timeout;

    ReporterIpRetention(ReactiveMongoTemplate mongo, Clock clock, ModerationProperties properties) {
        this.mongo = mongo;
        this.clock = clock;
        this.retention = properties.privacy().clientDataRetention();
        this.timeout = properties.storeTimeout();
    }

    /**
     * The sweep reads the reports received before a time (which also serves the transparency report's periods); an
     * erasure or export finds the notices filed from an address among the few reports that are notices (sparse).
     */
    @Bean
    static CollectionIndexes reportPrivacyIndexes() {
        return CollectionIndexes.on(
                Report.class,
                new Index().on("receivedAt", Sort.Direction.ASC),
                new Index().on("notice.emailKey", Sort.Direction.ASC).sparse());
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::sweepNow, EVERY, Duration.ZERO));
    }

    private void sweepNow() {
        try {
            Long removed =
                    removeReceivedBefore(clock.instant().minus(retention)).block(timeout.multipliedBy(6));
            if (removed != null && removed > 0) {
                log.info("Removed the IP addresses of {} reports older than {}", removed, retention);
            }
        } catch (RuntimeException e) {
            log.warn(
                    "Removing the IP addresses of old reports failed: {}",
                    e.getClass().getName());
        }
    }

    /** Removes the IP addresses of the reports received before {@code cutoff}; returns how many. */
    Mono<Long> removeReceivedBefore(Instant cutoff) {
        return mongo.updateMulti(
                        Query.query(Criteria.where("receivedAt")
                                .lt(cutoff)
                                .and("clientIp")
                                .ne(null)),
                        new Update().unset("clientIp"),
                        Report.class)
                .map(result -> result.getModifiedCount());
    }
}
