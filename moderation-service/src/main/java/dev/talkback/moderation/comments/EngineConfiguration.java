package dev.talkback.moderation.comments;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.talkback.engine.DomainResolver;
import dev.talkback.engine.EmailAddressPolicy;
import dev.talkback.engine.ModerationEngine;
import dev.talkback.engine.SpamModel;
import dev.talkback.moderation.ModerationProperties;
import dev.talkback.moderation.rules.ActiveRules;

/**
 * The one {@link ModerationEngine} of the service, on its infrastructure: bans and settings from {@link ActiveRules},
 * author history and recent activity from the {@code comments} collection, the mail-domain check from the
 * {@link DomainResolver} bean (see {@code dns}), and the shipped spam model until {@link SpamLearning} swaps in one
 * retrained with the moderators' labels; each decision within {@code moderation.engine-budget} of CPU time.
 */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

    @Bean
    ModerationEngine moderationEngine(ActiveRules rules, MongoAuthorHistory history, MongoRecentActivity recent,
            DomainResolver domainResolver, Clock clock, ModerationProperties properties) {
        return ModerationEngine.builder()
                .emailPolicy(new EmailAddressPolicy())
                .domainResolver(domainResolver)
                .banList(rules)
                .authorHistory(history)
                .recentActivity(recent)
                // trained from the shipped corpora on first use (about a second), here at start-up
                .spamModel(SpamModel.shipped())
                .clock(clock)
                // a hostile text cut short and held, rather than a poll that outlives max.poll.interval.ms
                .budget(properties.engineBudget())
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
