package dev.talkback.comments.fuzz;

import dev.talkback.testsupport.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the fuzz tests accept as an answer, and how they print requests. */
final class FuzzAnswers {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FuzzAnswers() {}

    /**
     * Whether reactor-netty itself may refuse the request before Spring sees it (an empty 400, 414 or 431, not a
     * problem detail): bytes a header may not hold, a broken Content-Length, a request line over 4096 bytes, headers
     * over 8 KB, or a target that is not a valid URI.
     */
    static boolean brokenHttp(String kind, byte[] targetBytes) {
        String target = new String(targetBytes, StandardCharsets.ISO_8859_1);
        return kind.startsWith("hostile header") || target.length() > 4_000 || !validUri(target);
    }

    private static boolean validUri(String target) {
        if (!target.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            return false;
        }
        try {
            new java.net.URI("http://localhost" + target);
            return true;
        } catch (java.net.URISyntaxException ex) {
            return false;
        }
    }

    /** An answer of the HTTP server itself (no body, no content type), not of the application. */
    static boolean serverLevelRefusal(RawHttp.Response response) {
        return Set.of(400, 414, 431).contains(response.status())
                && response.body().length == 0
                && response.header("content-type") == null;
    }

    /** Why the answer is wrong, or null: an allowed status, and a problem detail for every refusal. */
    static String problemWith(RawHttp.Response response, Set<Integer> allowed, int success) {
        int status = response.status();
        if (status == 0) {
            return "no answer: " + abbreviate(response.bodyText());
        }
        if (status >= 500 || !allowed.contains(status)) {
            return "status " + status + ": " + abbreviate(response.bodyText());
        }
        if (status == success) {
            return null;
        }
        String contentType = String.valueOf(response.header("content-type"));
        if (!contentType.startsWith("application/problem+json")) {
            return "status " + status + " without a problem detail (" + contentType + "): "
                    + abbreviate(response.bodyText());
        }
        JsonNode body = JSON.readTree(response.body());
        if (body.path("status").asInt() != status) {
            return "problem detail with status " + body.path("status") + " on a " + status;
        }
        return null;
    }

    /** Percent-encodes all but the unreserved characters. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 'a' && b <= 'z'
                    || b >= 'A' && b <= 'Z'
                    || b >= '0' && b <= '9'
                    || b == '-'
                    || b == '.'
                    || b == '_'
                    || b == '~') {
                out.append((char) b);
            } else {
                out.append(String.format("%%%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    static String abbreviate(String text) {
        String flat = text.replace("\r", "\\r").replace("\n", "\\n");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…(" + flat.length() + " chars)";
    }
}
