package dev.talkback.notification.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.talkback.notification.NotificationProperties;
import dev.talkback.notification.TestProperties;
import dev.talkback.support.web.ApiProblem;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A webhook pointing to an internal address, or not https, is refused at registration with a problem detail naming
 * the field; nothing is stored (the registry, without a database here, is never reached).
 */
class WebhookRegistrationValidationTests {

    private final NotificationProperties properties = TestProperties.with();
    private final WebhookRegistrationController controller =
            new WebhookRegistrationController(new WebhookRegistry(null, properties), properties);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://127.0.0.1/hook",
                "https://10.1.2.3/hook",
                "https://172.20.0.5/hook",
                "https://192.168.0.1/hook",
                "https://169.254.169.254/latest/meta-data/",
                "https://[fe80::1]/hook",
                "https://[fd00::1]/hook",
                "https://100.64.1.1/hook",
                "https://0.0.0.0/hook",
                "https://224.0.0.1/hook",
                "https://[::ffff:127.0.0.1]/hook",
                "https://[::ffff:a9fe:a9fe]/hook",
                "https://[::1]:8443/hook",
                "https://localhost/hook",
                "https://2130706433/hook",
                "http://hooks.example/hook"
            })
    void forbiddenDestinationsAreRefusedWithAProblemDetail(String url) {
        Throwable refusal = catchThrowable(() -> controller
                .register(new WebhookRegistrationController.Registration(url, null, List.of(), null))
                .block());

        assertThat(refusal).as(url).isInstanceOf(ApiProblem.class);
        ApiProblem problem = (ApiProblem) refusal;
        assertThat(problem.status().value()).as(url).isEqualTo(422);
        assertThat(problem.errors()).as(url).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("url");
            assertThat(error.message()).containsAnyOf("internal address", "this machine", "https URL", "host name");
        });
    }
}
