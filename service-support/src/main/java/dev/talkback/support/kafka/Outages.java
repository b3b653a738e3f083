package dev.talkback.support.kafka;

import com.mongodb.MongoException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import java.time.Duration;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Tells an outage (MongoDB or Kafka unreachable, a timeout) from a poison record, for the services' Kafka error
 * handlers: an outage is not the record's fault, so it is retried without limit and the partition waits with no
 * offset committed; anything else keeps the handler's bounded back-off and then goes to the dead-letter topic.
 * Use {@link #backOffFunction} with {@code DefaultErrorHandler.setBackOffFunction}.
 */
public final class Outages {

    private static final Logger log = LoggerFactory.getLogger(Outages.class);

    private Outages() {}

    /** The unlimited back-off for outages; {@code null} (the bounded default) for any other failure. */
    public static BiFunction<ConsumerRecord<?, ?>, Exception, BackOff> backOffFunction(
            Duration initialInterval, double multiplier, Duration maxInterval) {
        return (record, ex) -> {
            if (!isOutage(ex)) {
                return null;
            }
            var unlimited = new ExponentialBackOff(initialInterval.toMillis(), multiplier);
            unlimited.setMaxInterval(maxInterval.toMillis());
            log.warn(
                    "Comment {}: record {}-{}@{} waits for the infrastructure ({}); retrying until it is back",
                    record.key(),
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    causes(ex));
            return unlimited;
        };
    }

    /**
     * Whether a failure comes from the infrastructure rather than from the record: somewhere in its causes a MongoDB
     * connection or timeout failure, Spring's resource-failure or transient data-access exceptions, a retriable
     * Kafka error (e.g. a send timeout), a timed-out blocking wait ({@code Mono.block(Duration)} throws an
     * {@link IllegalStateException} caused by a {@link java.util.concurrent.TimeoutException}) or an interruption
     * (the container is stopping).
     */
    public static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof MongoSocketException
                    || cause instanceof MongoTimeoutException
                    || cause instanceof RetriableException
                    || cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof InterruptedException
                    || cause instanceof java.net.ConnectException
                    || cause instanceof java.net.SocketTimeoutException) {
                return true;
            }
            if (cause instanceof MongoException mongo
                    && (mongo.hasErrorLabel("TransientTransactionError")
                            || mongo.hasErrorLabel("RetryableWriteError"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The exception types of a failure, outermost first ({@code A <- B <- C}), at most a few hundred characters:
     * never the messages, which might quote the record and so an email address.
     */
    public static String causes(Throwable ex) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = ex; t != null && chain.length() < 500; t = t.getCause() == t ? null : t.getCause()) {
            chain.append(chain.isEmpty() ? "" : " <- ").append(t.getClass().getName());
        }
        return chain.toString();
    }
}
