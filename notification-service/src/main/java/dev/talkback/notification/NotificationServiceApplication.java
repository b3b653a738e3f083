package dev.talkback.notification;

import dev.talkback.support.privacy.AddressKeys;
import dev.talkback.support.web.ProblemResponses;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class NotificationServiceApplication {

    public static void main(String[] args) {
        nameTheMailStreamProvider();
        SpringApplication.run(NotificationServiceApplication.class, args);
    }

    /** Refuses to start on a setting under its name from before the grouping; see {@link RenamedSettings}. */
    @Bean
    static RenamedSettings renamedSettings(ConfigurableEnvironment environment) {
        return new RenamedSettings(environment);
    }

    /** Every failed request as a problem detail, naming the codecs' limit in a 413; see {@link ProblemResponses}. */
    @Bean
    ProblemResponses problemResponses(@Value("${spring.codec.max-in-memory-size:256KB}") DataSize maxBody) {
        return new ProblemResponses(maxBody.toBytes(), Duration.ofSeconds(5));
    }

    /**
     * The key every address is stored and looked up under (recipients, delivery keys, rate windows, exports): an
     * HMAC under {@code notification.privacy.address-secret}, so that the keys in the database cannot be reversed by
     * hashing a list of addresses, as the bare SHA-256 used before could.
     */
    @Bean
    AddressKeys addressKeys(NotificationProperties properties) {
        return new AddressKeys(properties.privacy().addressSecret(), "notification.privacy.address-secret");
    }

    /**
     * Jakarta Mail looks its stream provider up with a {@code ServiceLoader} for every multipart and every body part
     * it writes (jakartaee/mail-api#699, #861); in the executable jar that scan took a quarter of this service's CPU
     * under load. Named in the system property it reads first, the lookup is one class load.
     */
    static void nameTheMailStreamProvider() {
        String provider = "org.eclipse.angus.mail.util.MailStreamProvider";
        if (ClassUtils.isPresent(provider, NotificationServiceApplication.class.getClassLoader())) {
            System.getProperties().putIfAbsent("jakarta.mail.util.StreamProvider", provider);
        }
    }
}
