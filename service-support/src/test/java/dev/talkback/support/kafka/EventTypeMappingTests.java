package dev.talkback.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.events.EventTypes;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The events' type mapping reaches every service's Kafka properties from one place, and a service may override it. */
class EventTypeMappingTests {

    private static final String PRODUCER = "spring.kafka.producer.properties[spring.json.type.mapping]";
    private static final String CONSUMER = "spring.kafka.consumer.properties[spring.json.type.mapping]";

    @Test
    void producersAndConsumersMapTheEventsLogicalNames() {
        var environment = new StandardEnvironment();

        new EventTypeMapping().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(PRODUCER))
                .isEqualTo(EventTypes.JSON_TYPE_MAPPING)
                .contains("CommentSubmitted:dev.talkback.events.CommentSubmitted");
        assertThat(environment.getProperty(CONSUMER))
                .isEqualTo(EventTypes.JSON_TYPE_MAPPING)
                .contains("CommentModerated:dev.talkback.events.CommentModerated");
    }

    @Test
    void aServicesOwnSettingComesFirst() {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("service", Map.of(CONSUMER, "X:y.Z")));

        new EventTypeMapping().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(CONSUMER)).isEqualTo("X:y.Z");
    }

    @Test
    void springBootAppliesItInEveryService() {
        try (var context = new SpringApplicationBuilder(Empty.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .run()) {
            assertThat(context.getEnvironment().getProperty(CONSUMER)).isEqualTo(EventTypes.JSON_TYPE_MAPPING);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {}
}
