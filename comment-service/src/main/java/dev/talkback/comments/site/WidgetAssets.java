package dev.talkback.comments.site;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The widget's files: {@code /embed.js}, the stylesheet it adds ({@code /embed.css}) and the demo site's own
 * stylesheet ({@code /site.css}). Their URLs are not versioned (newsrooms paste the script's URL into templates), so
 * they are cached briefly and revalidated with an ETag; {@code Cross-Origin-Resource-Policy: cross-origin} lets
 * pages that isolate themselves (COEP) still load them.
 */
@RestController
class WidgetAssets {

    static final MediaType JAVASCRIPT = MediaType.parseMediaType("text/javascript;charset=UTF-8");
    static final MediaType CSS = MediaType.parseMediaType("text/css;charset=UTF-8");
    private static final CacheControl CACHE =
            CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic().staleWhileRevalidate(Duration.ofHours(1));

    private final Asset script = Asset.load("site/embed.js", JAVASCRIPT);
    private final Asset widgetStyle = Asset.load("site/embed.css", CSS);
    private final Asset siteStyle = Asset.load("site/site.css", CSS);

    @GetMapping("/embed.js")
    ResponseEntity<byte[]> script(
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String etag) {
        return script.response(etag);
    }

    @GetMapping("/embed.css")
    ResponseEntity<byte[]> widgetStyle(
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String etag) {
        return widgetStyle.response(etag);
    }

    @GetMapping("/site.css")
    ResponseEntity<byte[]> siteStyle(
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String etag) {
        return siteStyle.response(etag);
    }

    private record Asset(byte[] bytes, MediaType type, String etag) {

        static Asset load(String path, MediaType type) {
            try (InputStream in = new ClassPathResource(path).getInputStream()) {
                byte[] bytes = in.readAllBytes();
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
                return new Asset(bytes, type, "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            } catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException(ex);
            }
        }

        ResponseEntity<byte[]> response(@Nullable String ifNoneMatch) {
            var builder = ResponseEntity.status(etag.equals(ifNoneMatch) ? HttpStatus.NOT_MODIFIED : HttpStatus.OK)
                    .cacheControl(CACHE)
                    .eTag(etag)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Cross-Origin-Resource-Policy", "cross-origin");
            return etag.equals(ifNoneMatch)
                    ? builder.build()
                    : builder.contentType(type).body(bytes);
        }
    }
}
