package dev.talkback.comments;

import dev.talkback.support.web.ProblemResponses;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
@ConfigurationPropertiesScan
public class CommentServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(CommentServiceApplication.class, args);
    }

    /** Every failed request as a problem detail; see {@link ProblemResponses}. */
    @Bean
    ProblemResponses problemResponses(CommentsProperties properties) {
        return new ProblemResponses(properties.maxBodySize().toBytes(), properties.retryAfter());
    }
}
