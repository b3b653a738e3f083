package dev.talkback.support.kafka;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What every service's Kafka configuration imports: the comment id in the listeners' logs, and safe send tracing. */
@Configuration(proxyBeanMethods = false)
public class KafkaSupportConfiguration {

    /** The comment id (the record's key) in the MDC of every log line a listener writes about it. */
    @Bean
    CommentIdLogging commentIdLogging() {
        return new CommentIdLogging();
    }

    /** The template's tracing must not wait for Kafka's cluster id while Kafka is down. */
    @Bean
    static KafkaTemplateTracing kafkaTemplateTracing() {
        return new KafkaTemplateTracing();
    }
}
