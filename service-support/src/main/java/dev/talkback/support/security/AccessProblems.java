package dev.talkback.support.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** 401 and 403 as RFC 9457 problem details, with the {@code WWW-Authenticate} challenge of RFC 6750. */
public final class AccessProblems {

    private final JsonMapper json = JsonMapper.builder().build();

    public Mono<Void> unauthorized(ServerWebExchange exchange, AuthenticationException failure) {
        boolean tokenSent = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
        exchange.getResponse()
                .getHeaders()
                .set(
                        HttpHeaders.WWW_AUTHENTICATE,
                        tokenSent
                                ? "Bearer error=\"invalid_token\", error_description=\"The token is invalid, expired or not trusted\""
                                : "Bearer");
        return write(
                exchange,
                HttpStatus.UNAUTHORIZED,
                tokenSent
                        ? "The bearer token is invalid, expired or not signed by a trusted issuer."
                        : "A bearer token is required.");
    }

    public Mono<Void> forbidden(ServerWebExchange exchange, AccessDeniedException denied) {
        exchange.getResponse()
                .getHeaders()
                .set(
                        HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer error=\"insufficient_scope\", error_description=\"The token lacks the required role\"");
        return write(exchange, HttpStatus.FORBIDDEN, "The token does not carry a role that may do this.");
    }

    private Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", URI.create(exchange.getRequest().getPath().value()).toString());
        byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        var response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }
}
