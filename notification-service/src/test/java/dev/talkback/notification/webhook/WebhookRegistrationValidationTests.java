package dev.talkback.notification.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.notification.NotificationProperties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * A webhook pointing to an internal address, or not https, is refused at registration with a problem detail naming
 * the field; nothing is stored (the registry, without a database here, is never reached).
 */
class WebhookRegistrationValidationTests {

    private final NotificationProperties properties = new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("notification", NotificationProperties.class);
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
        ResponseEntity<?> answer = controller
                .register(new WebhookRegistrationController.Registration(url, null, List.of(), null))
                .block();

        assertThat(answer.getStatusCode().value()).as(url).isEqualTo(422);
        ProblemDetail problem = (ProblemDetail) answer.getBody();
        assertThat(problem.getProperties().get("errors"))
                .asString()
                .as(url)
                .contains("field=url")
                .containsAnyOf("internal address", "this machine", "https URL", "host name");
    }
}
