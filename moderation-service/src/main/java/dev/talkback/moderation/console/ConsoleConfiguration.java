package dev.talkback.moderation.console;

import dev.talkback.moderation.ModerationProperties;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves the console's files from {@code classpath:console/} at {@code /moderate/}, and {@code /moderate/config.json}:
 * whom to sign in with. The console is public static code; what it shows needs a moderator's token. The
 * Content-Security-Policy that keeps it free of injected script is set with the other security headers in
 * {@code SecurityConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

    static final String PATH = "/moderate/";

    @Bean
    RouterFunction<ServerResponse> console(ModerationProperties properties, Environment environment) {
        var index = new ClassPathResource("console/index.html");
        ConsoleStart start = ConsoleStart.of(properties, environment);
        return RouterFunctions.route()
                .GET(
                        "/moderate",
                        request -> ServerResponse.permanentRedirect(URI.create(PATH))
                                .build())
                .GET(
                        PATH,
                        request -> ServerResponse.ok()
                                .contentType(MediaType.TEXT_HTML)
                                .bodyValue(index))
                .GET(
                        PATH + "config.json",
                        request -> ServerResponse.ok()
                                .contentType(MediaType.APPLICATION_JSON)
                                .bodyValue(start))
                .add(RouterFunctions.resources(PATH + "**", new ClassPathResource("console/")))
                .build();
    }

    /**
     * What the console needs before anyone signs in.
     *
     * @param issuer      the identity provider the API trusts, or {@code null}: no provider sign-in
     * @param clientId    the console's client id there, or {@code null}
     * @param scope       the scopes to ask for
     * @param localSignIn whether the local stack's sign-in form is offered ({@code POST /moderate/local-sign-in})
     * @param articleUrl  where an article is read, with {@code {articleId}}, or {@code null}
     */
    record ConsoleStart(
            @Nullable String issuer,
            @Nullable String clientId,
            String scope,
            boolean localSignIn,
            @Nullable String articleUrl) {

        static ConsoleStart of(ModerationProperties properties, Environment environment) {
            var console = properties.console();
            boolean local = !properties.security().localSigningKey().isBlank();
            String issuerUri = environment.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", "");
            boolean provider = !issuerUri.isBlank() && !console.clientId().isBlank();
            return new ConsoleStart(
                    provider ? issuerUri : null,
                    provider ? console.clientId() : null,
                    console.scope(),
                    local,
                    console.articleUrl().isBlank() ? null : console.articleUrl());
        }
    }
}
