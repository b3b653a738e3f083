package dev.talkback.moderation.comments;

import dev.talkback.engine.AbuseModel;
import dev.talkback.engine.DomainResolver;
import dev.talkback.engine.EmailAddressPolicy;
import dev.talkback.engine.ModerationEngine;
import dev.talkback.engine.SpamModel;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.moderation.rules.ActiveRules;
import java.time.Clock;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;

/**
 * The one {@link ModerationEngine} of the service, on its infrastructure: bans and settings from {@link ActiveRules},
 * author history and recent activity from the {@code comments} collection, the mail-domain check from the
 * {@link DomainResolver} bean (see {@code dns}), and the shipped spam and abuse models until {@link ModelLearning} swaps
 * in ones retrained with the moderators' labels; each decision within {@code moderation.engine-budget} of CPU time.
 */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

    @Bean
    ModerationEngine moderationEngine(
            ActiveRules rules,
            MongoAuthorHistory history,
            MongoRecentActivity recent,
            DomainResolver domainResolver,
            Clock clock,
            ModerationProperties properties) {
        ModerationEngine engine = ModerationEngine.builder()
                .emailPolicy(new EmailAddressPolicy())
                .domainResolver(domainResolver)
                .banList(rules)
                .authorHistory(history)
                .recentActivity(recent)
                // both trained from the shipped corpora on first use, here at start-up: before the listener takes
                // its first record, and never on a listener or event-loop thread
                .spamModel(SpamModel.shipped())
                .abuseModel(AbuseModel.shipped())
                .clock(clock)
                // a hostile text cut short and held, rather than a poll that outlives max.poll.interval.ms
                .budget(properties.engineBudget())
                .build();
        // before the listener takes its first record, which would otherwise be held as over the budget
        engine.warmUp();
        return engine;
    }

    /**
     * The engine's score keys contain dots ({@code abuse.insult}), which MongoDB takes for paths: Spring Data refuses
     * to write such a map key unless told what to store instead. Stored as U+FF0E (fullwidth full stop), which no key
     * of ours contains, and turned back into a dot when read, so the API shows {@code abuse.insult}.
     */
    @Bean
    static BeanPostProcessor mapKeysWithDots() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof MappingMongoConverter converter) {
                    converter.setMapKeyDotReplacement("\uFF0E");
                }
                return bean;
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
