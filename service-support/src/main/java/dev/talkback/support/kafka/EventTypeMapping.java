package dev.talkback.support.kafka;

import dev.talkback.events.EventTypes;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Every service's Kafka producers and consumers map the events' logical type names ({@code __TypeId__}:
 * {@code CommentSubmitted}, {@code CommentModerated}) to the event classes by {@link EventTypes#JSON_TYPE_MAPPING},
 * set here once as spring-kafka's {@code spring.json.type.mapping} of {@code spring.kafka.producer.properties} and
 * {@code spring.kafka.consumer.properties}, with the lowest precedence (a service's own configuration may still
 * say otherwise). Whatever a service builds from Boot's {@code KafkaProperties} has it, like its auto-configured
 * factories.
 */
public class EventTypeMapping implements EnvironmentPostProcessor {

    static final String PROPERTY_SOURCE = "talkbackEventTypeMapping";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        PROPERTY_SOURCE,
                        Map.of(
                                "spring.kafka.producer.properties[spring.json.type.mapping]",
                                        EventTypes.JSON_TYPE_MAPPING,
                                "spring.kafka.consumer.properties[spring.json.type.mapping]",
                                        EventTypes.JSON_TYPE_MAPPING)));
    }
}
