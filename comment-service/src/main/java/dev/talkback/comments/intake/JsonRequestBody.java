package dev.talkback.comments.intake;

import dev.talkback.support.web.ApiProblem;
import dev.talkback.support.web.RequestBodies;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.core.publisher.Mono;

/**
 * The bytes of a JSON request body, bounded by {@code comments.max-body-size} ({@link RequestBodies}: 413 above it); a
 * content type other than JSON is a 415, an empty body a 400. Shared by the intake, the draft check, reports and
 * appeals, so that all refuse alike.
 */
final class JsonRequestBody {

    private JsonRequestBody() {}

    static Mono<byte[]> read(ServerHttpRequest request, long maxBodyBytes) {
        if (request.getHeaders().getContentLength() > maxBodyBytes) {
            throw ApiProblem.bodyTooLarge(maxBodyBytes);
        }
        MediaType contentType = RequestBodies.contentType(request);
        if (!RequestBodies.isJson(contentType)) {
            throw new UnsupportedMediaTypeStatusException(contentType, List.of(MediaType.APPLICATION_JSON));
        }
        return RequestBodies.read(request, maxBodyBytes)
                .switchIfEmpty(
                        Mono.error(() -> new ApiProblem(HttpStatus.BAD_REQUEST, "The body must be a JSON object.")));
    }
}
