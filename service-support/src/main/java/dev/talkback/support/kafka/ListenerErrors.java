package dev.talkback.support.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;

/**
 * A service's dead letters and the one error handler of its listeners (register it as a bean: its producer is closed
 * with the context).
 *
 * <p>Failures are classified. An outage of the infrastructure (MongoDB unreachable or timing out, Kafka not
 * answering, a blocking wait that timed out, an interrupted thread; {@link Outages}) is retried without limit: the
 * partition waits, no offset is committed, and the record is processed once the store or the broker is back. Any other
 * failure (a poison record) gets the bounded back-off of the service's {@link KafkaRetry}, then goes to
 * {@code <topic>-dlt} on the same partition (spring-kafka's default destination), and the partition moves on. A
 * record that could not be deserialised is not retried: it reaches the dead letters at once with its original bytes.
 * The log line names the comment (the record's key) and the failure's exception types, never a message, which might
 * quote the record and so an email address.
 */
public final class ListenerErrors implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ListenerErrors.class);

    private final DefaultKafkaProducerFactory<String, Object> factory;
    private final KafkaTemplate<String, Object> template;

    /**
     * A producer of its own, with Boot's producer settings ({@code acks}, idempotence, the events' type mapping): the
     * original bytes of a record that could not be deserialised are written as they came ({@code byte[]}); an event
     * that was deserialised but kept failing is written as JSON again, with its logical type name.
     *
     * @param service the service's name, for the producer's client id ({@code <service>-dlt})
     */
    public ListenerErrors(KafkaProperties kafka, String service) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.buildProducerProperties());
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, service + "-dlt");
        Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
        byType.put(byte[].class, new ByteArraySerializer());
        byType.put(Object.class, new JacksonJsonSerializer<>());
        this.factory = new DefaultKafkaProducerFactory<>(
                config, new StringSerializer(), new DelegatingByTypeSerializer(byType, true));
        this.template = new KafkaTemplate<>(factory);
    }

    /** The error handler; {@code notRetryable} failures go to the dead letters without a retry. */
    @SafeVarargs
    public final CommonErrorHandler errorHandler(KafkaRetry retry, Class<? extends Exception>... notRetryable) {
        var publisher = new DeadLetterPublishingRecoverer(template);
        ConsumerRecordRecoverer logThenPublish = (record, exception) -> {
            log.warn(
                    "Comment {}: record {}-{}@{} goes to the dead letters after {}",
                    record.key(),
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    Outages.causes(exception));
            publisher.accept(record, exception);
        };
        var backOff = new ExponentialBackOffWithMaxRetries(retry.maxRetries());
        backOff.setInitialInterval(retry.initialInterval().toMillis());
        backOff.setMultiplier(retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        var handler = new DefaultErrorHandler(logThenPublish, backOff);
        if (notRetryable.length > 0) {
            handler.addNotRetryableExceptions(notRetryable);
        }
        handler.setBackOffFunction(
                Outages.backOffFunction(retry.initialInterval(), retry.multiplier(), retry.maxInterval()));
        // a record that failed for a poison reason and then meets an outage (or the reverse) starts the other back-off
        handler.setResetStateOnExceptionChange(true);
        return handler;
    }

    @Override
    public void destroy() {
        factory.destroy();
    }
}
