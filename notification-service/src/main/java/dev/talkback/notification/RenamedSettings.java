package dev.talkback.notification;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Refuses to start while a setting is set under the flat name it had before {@link NotificationProperties} was
 * grouped by concern. Spring Boot binds nothing from a name it does not know, so an operator's old
 * {@code notification.link-secret} would otherwise be dropped without a word (and every instance would sign links with
 * its own random key). Declared by {@link NotificationServiceApplication}, it runs before any bean is made, on
 * everything the environment holds: files, environment variables ({@code NOTIFICATION_LINK_SECRET}), the command line,
 * system properties. A bean rather than a registered {@code EnvironmentPostProcessor}: that would run in every
 * application on the classpath, the other services too when a test runs them in one JVM.
 */
class RenamedSettings implements BeanFactoryPostProcessor {

    private final ConfigurableEnvironment environment;

    RenamedSettings(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    /** Old name → new name; each old name also stands for the names below it (list elements). */
    static final Map<String, String> RENAMED = renamed();

    /** The old list of configured webhooks, {@code notification.webhooks[n]}: now {@code webhooks.configured[n]}. */
    private static final ConfigurationPropertyName OLD_WEBHOOKS = ConfigurationPropertyName.of("notification.webhooks");

    private static Map<String, String> renamed() {
        Map<String, String> renamed = new LinkedHashMap<>();
        renamed.put("notification.site-name", "notification.site.name");
        renamed.put("notification.comment-url", "notification.site.comment-url");
        renamed.put("notification.confirmation.article-url", "notification.site.article-url");
        renamed.put("notification.mail-from", "notification.mail.from");
        renamed.put("notification.reply-to", "notification.mail.reply-to");
        renamed.put("notification.excerpt-length", "notification.mail.excerpt-length");
        renamed.put("notification.notify-rejections", "notification.mail.notify-rejections");
        renamed.put("notification.rate-limit.max-per-window", "notification.mail.rate-limit.max-per-window");
        renamed.put("notification.rate-limit.window", "notification.mail.rate-limit.window");
        renamed.put("notification.outbox.mail-initial-backoff", "notification.mail.retry.initial-backoff");
        renamed.put("notification.outbox.mail-max-backoff", "notification.mail.retry.max-backoff");
        renamed.put("notification.outbox.mail-give-up-after", "notification.mail.retry.give-up-after");
        renamed.put("notification.public-url", "notification.links.public-url");
        renamed.put("notification.link-secret", "notification.links.secret");
        renamed.put("notification.moderators", "notification.digest.moderators");
        renamed.put("notification.digest-interval", "notification.digest.interval");
        renamed.put("notification.moderation-url", "notification.digest.moderation-url");
        renamed.put("notification.webhook-refresh", "notification.webhooks.refresh");
        renamed.put("notification.outbox.webhook-timeout", "notification.webhooks.timeout");
        renamed.put("notification.webhook-policy.allow-http", "notification.webhooks.policy.allow-http");
        renamed.put("notification.webhook-policy.allow-loopback", "notification.webhooks.policy.allow-loopback");
        renamed.put("notification.outbox.webhook-initial-backoff", "notification.webhooks.retry.initial-backoff");
        renamed.put("notification.outbox.webhook-max-backoff", "notification.webhooks.retry.max-backoff");
        renamed.put("notification.outbox.webhook-max-attempts", "notification.webhooks.retry.max-attempts");
        renamed.put("notification.topic-partitions", "notification.kafka.topic-partitions");
        renamed.put("notification.topic-replicas", "notification.kafka.topic-replicas");
        renamed.put("notification.retry.max-retries", "notification.kafka.retry.max-retries");
        renamed.put("notification.retry.initial-interval", "notification.kafka.retry.initial-interval");
        renamed.put("notification.retry.multiplier", "notification.kafka.retry.multiplier");
        renamed.put("notification.retry.max-interval", "notification.kafka.retry.max-interval");
        renamed.put("notification.store-timeout", "notification.timeouts.store");
        renamed.put("notification.health-timeout", "notification.timeouts.health");
        return renamed;
    }

    /** Before any bean is made: what a bean would read under an old name is not read at all. */
    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        check(environment);
    }

    static void check(ConfigurableEnvironment environment) {
        List<String> found = foundIn(ConfigurationPropertySources.get(environment));
        if (!found.isEmpty()) {
            throw new IllegalStateException("notification-service settings were renamed (see notification-service's"
                    + " README, \"Settings from before the grouping\"); this configuration still uses the old names: "
                    + String.join("; ", found));
        }
    }

    /** "old is now new" for each old name set in these sources, in the order of {@link #RENAMED}. */
    static List<String> foundIn(Iterable<ConfigurationPropertySource> sources) {
        List<String> found = new ArrayList<>();
        RENAMED.forEach((old, now) -> {
            if (isSetApart(sources, ConfigurationPropertyName.of(old), ConfigurationPropertyName.of(now))) {
                found.add(old + " is now " + now);
            }
        });
        if (hasOldWebhookList(sources)) {
            found.add("notification.webhooks[n] is now notification.webhooks.configured[n]");
        }
        return found;
    }

    /**
     * Whether a source sets the old name other than as the new one. An environment variable can name both: Boot reads
     * {@code NOTIFICATION_SITE_NAME} as {@code notification.site.name} and as {@code notification.site-name} (dashes
     * written as {@code _}), and then it already sets the new setting; it is not refused.
     */
    private static boolean isSetApart(
            Iterable<ConfigurationPropertySource> sources,
            ConfigurationPropertyName old,
            ConfigurationPropertyName now) {
        for (ConfigurationPropertySource source : sources) {
            ConfigurationProperty property = source.getConfigurationProperty(old);
            if (property != null) {
                ConfigurationProperty same = source.getConfigurationProperty(now);
                if (same == null || !Objects.equals(same.getValue(), property.getValue())) {
                    return true;
                }
            } else if (source.containsDescendantOf(old) == ConfigurationPropertyState.PRESENT) {
                return true;
            }
        }
        return false;
    }

    /** {@code notification.webhooks} followed by an index, as opposed to the new {@code notification.webhooks.*}. */
    private static boolean hasOldWebhookList(Iterable<ConfigurationPropertySource> sources) {
        for (ConfigurationPropertySource source : sources) {
            if (source instanceof IterableConfigurationPropertySource iterable
                    && iterable.stream().anyMatch(name -> OLD_WEBHOOKS.isAncestorOf(name) && name.isNumericIndex(2))) {
                return true;
            }
        }
        return false;
    }
}
