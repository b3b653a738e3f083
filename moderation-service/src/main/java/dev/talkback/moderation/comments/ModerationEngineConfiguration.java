package dev.talkback.moderation.comments;

import java.time.Clock;
import java.util.Set;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.talkback.engine.EmailAddressPolicy;
import dev.talkback.engine.ModerationPipeline;
import dev.talkback.moderation.ModerationProperties;

/** The decision pipeline, with its rules from {@code moderation.*}. */
@Configuration(proxyBeanMethods = false)
class ModerationEngineConfiguration {

    @Bean
    ModerationPipeline moderationPipeline(ModerationProperties properties) {
        return ModerationPipeline.of(new EmailAddressPolicy(),
                new ModerationPipeline.Rules(properties.maxLinks(), Set.copyOf(properties.bannedWords())));
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
