package dev.talkback.comments.site;

import dev.talkback.comments.CommentsProperties;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * CORS on the reader API ({@code /api/**}, the live stream included) for the origins in
 * {@code comments.allowed-origins} only: the widget runs on the news site's pages, another origin than this service.
 * No credentials: the widget sends no cookies; the author's status token travels in the URL it was given.
 */
@Configuration(proxyBeanMethods = false)
class SiteCors {

    /** Before the rate limits (order 10): a refused request still carries the headers the widget needs to read it. */
    @Bean
    @Order(0)
    CorsWebFilter readerApiCors(CommentsProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(List.copyOf(properties.allowedOrigins()));
        cors.setAllowedMethods(List.of("GET", "POST"));
        cors.setAllowedHeaders(List.of(HttpHeaders.CONTENT_TYPE, "Last-Event-ID"));
        cors.setExposedHeaders(List.of(HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER));
        cors.setAllowCredentials(false);
        cors.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", cors);
        return new CorsWebFilter(source);
    }
}
