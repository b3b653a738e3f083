package dev.talkback.moderation;

import dev.talkback.support.web.ProblemResponses;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.util.unit.DataSize;

@SpringBootApplication
@EnableConfigurationProperties(ModerationProperties.class)
@EnableScheduling
public class ModerationServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ModerationServiceApplication.class, args);
    }

    /** Every failed request as a problem detail, naming the codecs' limit in a 413; see {@link ProblemResponses}. */
    @Bean
    ProblemResponses problemResponses(@Value("${spring.codec.max-in-memory-size:256KB}") DataSize maxBody) {
        return new ProblemResponses(maxBody.toBytes(), Duration.ofSeconds(5));
    }
}
