package dev.talkback.moderation.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API description at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}), public: it describes the
 * endpoints and holds no data. Every moderator endpoint needs a bearer JWT, which Swagger UI's "Authorize" takes.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI moderationApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Talkback moderation API")
                        .description("The held queue, human decisions, claims, bans, settings, audit and statistics. "
                                + "MODERATOR: queue, decisions, claims. ADMIN: also bans, settings, audit, stats.")
                        .version("v1"))
                .components(new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
