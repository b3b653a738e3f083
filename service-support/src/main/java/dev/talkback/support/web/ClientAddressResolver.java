package dev.talkback.support.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The client's IP address, by which the public endpoints' limits count. The configured header (e.g.
 * {@code X-Forwarded-For}) is believed only when the direct peer is a trusted proxy; then the right-most address in it
 * that is not a trusted proxy is the client. Without a configured header, or from an untrusted peer, the peer address
 * is the client: a header anyone can send must not let them choose their bucket.
 */
public final class ClientAddressResolver {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Longest IP literal: an IPv6 address with an embedded IPv4 one. */
    private static final int MAX_LITERAL = 45;

    private final @Nullable String header;
    private final List<AddressRange> trustedProxies;

    /**
     * @param setting        the settings' prefix, for the messages (e.g. {@code comments.client-ip})
     * @param header         e.g. {@code X-Forwarded-For}; {@code null} or blank: the peer address is the client
     * @param trustedProxies addresses or CIDR ranges of the proxies whose header is believed
     * @throws IllegalArgumentException when one of them is not an address or range
     */
    public ClientAddressResolver(String setting, @Nullable String header, List<String> trustedProxies) {
        this.header = header == null || header.isBlank() ? null : header.strip();
        List<AddressRange> ranges = new ArrayList<>();
        for (String proxy : trustedProxies) {
            ranges.add(AddressRange.parse(setting + ".trusted-proxies", proxy));
        }
        this.trustedProxies = List.copyOf(ranges);
    }

    public @Nullable String resolve(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress peer = remote == null ? null : remote.getAddress();
        if (peer == null) {
            return null;
        }
        if (header == null || !isTrusted(peer)) {
            return peer.getHostAddress();
        }
        List<String> values = request.getHeaders().getValuesAsList(header);
        InetAddress client = peer;
        for (int i = values.size() - 1; i >= 0; i--) {
            InetAddress hop = parseLiteral(values.get(i));
            if (hop == null) {
                break;
            }
            client = hop;
            if (!isTrusted(hop)) {
                break;
            }
        }
        return client.getHostAddress();
    }

    private boolean isTrusted(InetAddress address) {
        for (AddressRange range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Parses an IP literal without ever asking DNS; {@code null} when the text is not one. */
    static @Nullable InetAddress parseLiteral(String text) {
        String value = text.strip();
        if (value.startsWith("[") && value.contains("]")) {
            value = value.substring(1, value.indexOf(']'));
        } else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':') && value.contains(".")) {
            value = value.substring(0, value.indexOf(':')); // IPv4 with a port
        }
        // bounded first: a forwarded-for value is the client's text, and nothing longer is an address
        if (value.length() > MAX_LITERAL || !IPV4.matcher(value).matches() && !looksLikeIpv6(value)) {
            return null;
        }
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException ex) {
            return null;
        }
    }

    /**
     * Hex digits, colons and dots with at least one colon: what {@code [0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*} matched, in one
     * pass (the expression backtracked quadratically on a long run of colons that does not end as an address).
     */
    private static boolean looksLikeIpv6(String value) {
        boolean colon = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            colon |= c == ':';
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                return false;
            }
        }
        return colon;
    }

    /** An address or CIDR range, e.g. {@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code ::1}, {@code fd00::/8}. */
    record AddressRange(byte[] network, int prefixLength) {

        static AddressRange parse(String setting, String text) {
            String[] parts = text.strip().split("/", 2);
            InetAddress address = parseLiteral(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException(setting + ": '" + text + "' is not an IP address or CIDR range");
            }
            byte[] bytes = address.getAddress();
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1].strip()) : bytes.length * 8;
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException(setting + ": bad prefix length in '" + text + "'");
            }
            return new AddressRange(bytes, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (bytes[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }
}
