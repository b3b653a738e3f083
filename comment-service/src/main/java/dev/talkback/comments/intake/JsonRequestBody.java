package dev.talkback.comments.intake;

import dev.talkback.support.web.ApiProblem;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.core.publisher.Mono;

/**
 * The bytes of a JSON request body, bounded by {@code comments.max-body-size}: a declared {@code Content-Length} above
 * it is refused before reading (413), a body without one is cut off while reading (413 too); a content type other
 * than JSON is a 415, an empty body a 400. Shared by the intake and the draft check, so both refuse alike.
 */
final class JsonRequestBody {

    private JsonRequestBody() {}

    static Mono<byte[]> read(ServerHttpRequest request, long maxBodyBytes) {
        if (request.getHeaders().getContentLength() > maxBodyBytes) {
            throw ApiProblem.bodyTooLarge(maxBodyBytes);
        }
        requireJson(contentType(request));
        return DataBufferUtils.join(request.getBody(), (int) Math.min(Integer.MAX_VALUE, maxBodyBytes))
                .map(buffer -> {
                    try {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        return bytes;
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .switchIfEmpty(
                        Mono.error(() -> new ApiProblem(HttpStatus.BAD_REQUEST, "The body must be a JSON object.")));
    }

    /** The declared content type; one that does not parse (e.g. {@code ";;;"}) is unsupported (415), not a server error. */
    private static @Nullable MediaType contentType(ServerHttpRequest request) {
        try {
            return request.getHeaders().getContentType();
        } catch (InvalidMediaTypeException ex) {
            throw new UnsupportedMediaTypeStatusException("The Content-Type header is not a valid media type.");
        }
    }

    private static void requireJson(@Nullable MediaType contentType) {
        if (contentType == null
                || !(MediaType.APPLICATION_JSON.isCompatibleWith(contentType)
                        || "json".equals(contentType.getSubtypeSuffix())
                                && "application".equals(contentType.getType()))) {
            throw new UnsupportedMediaTypeStatusException(contentType, List.of(MediaType.APPLICATION_JSON));
        }
    }
}
