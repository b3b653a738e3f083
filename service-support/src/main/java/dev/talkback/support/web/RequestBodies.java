package dev.talkback.support.web;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.core.publisher.Mono;

/**
 * Request bodies that public endpoints read themselves, bounded: a declared {@code Content-Length} above the bound is
 * refused before reading, a body without one is cut off while reading (413 both), and a {@code Content-Type} that
 * does not parse is a 415, not a server error.
 */
public final class RequestBodies {

    private RequestBodies() {}

    /** The bytes of the body, at most {@code maxBytes}; empty when there is none. */
    public static Mono<byte[]> read(ServerHttpRequest request, long maxBytes) {
        if (request.getHeaders().getContentLength() > maxBytes) {
            return Mono.error(ApiProblem.bodyTooLarge(maxBytes));
        }
        return DataBufferUtils.join(request.getBody(), (int) Math.min(Integer.MAX_VALUE, maxBytes))
                .map(buffer -> {
                    try {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        return bytes;
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .onErrorMap(DataBufferLimitException.class, tooLarge -> ApiProblem.bodyTooLarge(maxBytes));
    }

    /** The declared content type, or {@code null}; one that does not parse (e.g. {@code ";;;"}) is a 415. */
    public static @Nullable MediaType contentType(ServerHttpRequest request) {
        try {
            return request.getHeaders().getContentType();
        } catch (InvalidMediaTypeException ex) {
            throw new UnsupportedMediaTypeStatusException("The Content-Type header is not a valid media type.");
        }
    }

    /** {@code application/json} or an {@code application/*+json} type. */
    public static boolean isJson(@Nullable MediaType type) {
        return type != null
                && (MediaType.APPLICATION_JSON.isCompatibleWith(type)
                        || "json".equals(type.getSubtypeSuffix()) && "application".equals(type.getType()));
    }
}
