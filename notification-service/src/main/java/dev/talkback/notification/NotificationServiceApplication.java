package dev.talkback.notification;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.util.ClassUtils;

@SpringBootApplication
@ConfigurationPropertiesScan
public class NotificationServiceApplication {

    public static void main(String[] args) {
        nameTheMailStreamProvider();
        SpringApplication.run(NotificationServiceApplication.class, args);
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
