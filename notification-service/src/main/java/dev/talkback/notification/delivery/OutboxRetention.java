package dev.talkback.notification.delivery;

import dev.talkback.notification.NotificationProperties;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Removes the deliveries that finished more than {@code notification.outbox.retention} ago, with the mails they sent
 * (names, excerpts of comments): at start and every {@link #EVERY}, so an entry may outlive its time by up to that. A
 * sweep rather than a TTL index, so that it works the same on the embedded store and changing the retention needs no
 * index change. Every instance sweeps; deleting what another already deleted does no harm.
 */
@Component
class OutboxRetention implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(OutboxRetention.class);

    static final Duration EVERY = Duration.ofHours(1);

    private final Outbox outbox;
    private final Clock clock;
    private final Duration retention;

    @Autowired
    OutboxRetention(Outbox outbox, NotificationProperties properties) {
        this(outbox, Clock.systemUTC(), properties.outbox().retention());
    }

    OutboxRetention(Outbox outbox, Clock clock, Duration retention) {
        this.outbox = outbox;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::sweep, EVERY, Duration.ZERO));
    }

    /** Removes what is past the retention now; returns how many entries. */
    long sweep() {
        try {
            long removed = outbox.removeFinishedBefore(clock.instant().minus(retention));
            if (removed > 0) {
                log.info("Removed {} deliveries finished more than {} ago", removed, retention);
            }
            return removed;
        } catch (RuntimeException e) {
            // the next sweep tries again
            log.warn("Removing old deliveries failed: {}", e.getClass().getName());
            return 0;
        }
    }
}
