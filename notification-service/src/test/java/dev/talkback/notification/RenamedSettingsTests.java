package dev.talkback.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/** A setting set under its old flat name stops the start, naming its new name, instead of being ignored. */
class RenamedSettingsTests {

    @Test
    void anOldNameStopsTheStartAndNamesTheNewOne() {
        assertThatIllegalStateException()
                .isThrownBy(() -> start(new MapPropertySource(
                        "application.yml",
                        Map.of(
                                "notification.link-secret", "an-operator-secret-0123456789",
                                "notification.retry.max-retries", "3",
                                "notification.site.name", "Daily Example"))))
                .withMessageContaining("notification.link-secret is now notification.links.secret")
                .withMessageContaining("notification.retry.max-retries is now notification.kafka.retry.max-retries")
                .withMessageNotContaining("an-operator-secret")
                .withMessageNotContaining("site.name");
    }

    @Test
    void oldEnvironmentVariablesInEitherSpellingAreRefused() {
        for (String variable : new String[] {"NOTIFICATION_LINK_SECRET", "NOTIFICATION_LINKSECRET"}) {
            assertThatIllegalStateException()
                    .isThrownBy(() -> start(environment(variable, "an-operator-secret-0123456789")))
                    .withMessageContaining("notification.link-secret is now notification.links.secret");
        }
        assertThatIllegalStateException()
                .isThrownBy(() -> start(environment("NOTIFICATION_PUBLIC_URL", "https://comments.example.org")))
                .withMessageContaining("notification.public-url is now notification.links.public-url");
        assertThatIllegalStateException()
                .isThrownBy(() -> start(environment("NOTIFICATION_MODERATORS_0", "mods@example.org")))
                .withMessageContaining("notification.moderators is now notification.digest.moderators");
    }

    @Test
    void anEnvironmentVariableThatAlsoSpellsTheNewNameIsAccepted() {
        // NOTIFICATION_SITE_NAME is notification.site.name as much as the old notification.site-name
        start(environment("NOTIFICATION_SITE_NAME", "Daily Example"));
        start(environment("NOTIFICATION_LINKS_PUBLIC_URL", "https://comments.example.org"));
    }

    @Test
    void theOldListOfWebhooksIsRefusedTheNewOneIsNot() {
        assertThatIllegalStateException()
                .isThrownBy(() -> start(new MapPropertySource(
                        "application.yml", Map.of("notification.webhooks[0].url", "https://hooks.example.org/"))))
                .withMessageContaining("notification.webhooks[n] is now notification.webhooks.configured[n]");
        assertThatIllegalStateException()
                .isThrownBy(() -> start(environment("NOTIFICATION_WEBHOOKS_1_SECRET", "hook-secret")))
                .withMessageContaining("notification.webhooks[n] is now notification.webhooks.configured[n]");

        start(new MapPropertySource(
                "application.yml",
                Map.of(
                        "notification.webhooks.configured[0].url", "https://hooks.example.org/",
                        "notification.webhooks.refresh", "5s",
                        "notification.webhooks.policy.allow-http", "false")));
        start(environment("NOTIFICATION_WEBHOOKS_CONFIGURED_0_URL", "https://hooks.example.org/"));
    }

    @Test
    void theShippedConfigurationUsesOnlyNewNames() throws IOException {
        YamlPropertySourceLoader yaml = new YamlPropertySourceLoader();
        for (String file : new String[] {"application.yml", "application-local.yml"}) {
            for (PropertySource<?> source : yaml.load(file, new ClassPathResource(file))) {
                start(source);
            }
        }
    }

    @Test
    void theServiceDeclaresTheCheck() {
        new ApplicationContextRunner()
                .withPropertyValues("notification.link-secret=an-operator-secret-0123456789")
                .withUserConfiguration(NotificationServiceApplication.class)
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasMessageContaining("notification.link-secret is now notification.links.secret"));
    }

    private static void start(PropertySource<?> source) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(source);
        RenamedSettings.check(environment);
    }

    private static SystemEnvironmentPropertySource environment(String name, String value) {
        // Boot maps a source's names as environment variables by its name, like the process environment's
        return new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(name, value));
    }
}
