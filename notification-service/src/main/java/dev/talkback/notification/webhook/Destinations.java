package dev.talkback.notification.webhook;

import dev.talkback.notification.NotificationProperties;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a webhook may point to (see {@link NotificationProperties.WebhookPolicy}): an admin, or whoever holds an
 * admin token, must not make this service call its own machine or the internal network (cloud metadata at
 * 169.254.169.254, databases, admin ports) and read the outcome back. Addresses are compared as bytes, so every
 * spelling of one address is the same address; IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64,
 * 6to4) are judged by that IPv4 address.
 */
final class Destinations {

    static final String NOT_ALLOWED = "destination not allowed";

    private static final List<Block> V4 = blocks(
            "0.0.0.0/8", // "this network"; 0.0.0.0 reaches this machine on many systems
            "10.0.0.0/8", // private
            "100.64.0.0/10", // shared address space (CGNAT)
            "127.0.0.0/8", // loopback
            "169.254.0.0/16", // link-local, cloud metadata services
            "172.16.0.0/12", // private
            "192.0.0.0/24", // IETF protocol assignments
            "192.168.0.0/16", // private
            "198.18.0.0/15", // benchmarking
            "224.0.0.0/4", // multicast
            "240.0.0.0/4"); // reserved, broadcast

    private static final List<Block> V6 = blocks(
            "::/128", // unspecified
            "::1/128", // loopback
            "fe80::/10", // link-local
            "fec0::/10", // site-local (deprecated, still routed internally in places)
            "fc00::/7", // unique-local
            "ff00::/8", // multicast
            "2001::/32"); // Teredo: tunnels to an IPv4 address that cannot be checked

    /** Numeric host spellings other than dotted quads ({@code 2130706433}, {@code 0x7f.1}, {@code 127.1}). */
    private static final Pattern NUMERIC_HOST = Pattern.compile("((0x[0-9a-f]*|[0-9]+)\\.?){1,4}");

    private final NotificationProperties.WebhookPolicy policy;

    Destinations(NotificationProperties.WebhookPolicy policy) {
        this.policy = policy;
    }

    /**
     * Why this URL cannot be a webhook, as far as can be told without DNS (the scheme, an IP literal, a local
     * name); null if it may. Host names are checked again, resolved, at each call.
     */
    @Nullable
    String urlProblem(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(policy.allowHttp() && scheme.equals("http"))) {
            return policy.allowHttp() ? "must be an http or https URL" : "must be an https URL";
        }
        String host = host(uri);
        if (host.isEmpty()) {
            return "must have a host";
        }
        InetAddress literal = literal(host);
        if (literal == null && host.contains(":")) {
            return "must have a host name or a standard IP address";
        }
        if (literal != null) {
            return allowed(literal)
                    ? null
                    : "must not point to a loopback, private, link-local or other internal " + "address";
        }
        if (NUMERIC_HOST.matcher(host).matches()) {
            return "must have a host name or a standard IP address";
        }
        if ((host.equals("localhost") || host.endsWith(".localhost")) && !policy.allowLoopback()) {
            return "must not point to this machine";
        }
        return null;
    }

    /** Whether a call may go to this (resolved) address. */
    boolean allowed(InetAddress address) {
        if (address.isLoopbackAddress() && policy.allowLoopback()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            byte[] embedded = embeddedIpv4(bytes);
            if (embedded != null) {
                return allowed(v4(embedded));
            }
            return V6.stream().noneMatch(block -> block.contains(bytes));
        }
        return V4.stream().noneMatch(block -> block.contains(bytes));
    }

    /** The host of a URL in lower case, without the brackets of an IPv6 literal. */
    static String host(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The address an IP-literal host stands for (no DNS); null for a host name (or an invalid IPv6 literal). */
    static @Nullable InetAddress literal(String host) {
        try {
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
            if (bytes != null) {
                return InetAddress.getByAddress(bytes);
            }
            // forms Netty does not parse, such as 64:ff9b::10.1.2.3; with a colon the JDK parses, never looks up
            return host.contains(":") ? InetAddress.getByName(host) : null;
        } catch (UnknownHostException ex) {
            return null;
        }
    }

    /** The IPv4 address inside an IPv4-mapped, -compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static byte @Nullable [] embeddedIpv4(byte[] v6) {
        boolean firstTenZero = Arrays.equals(v6, 0, 10, new byte[10], 0, 10);
        if (firstTenZero && v6[10] == (byte) 0xff && v6[11] == (byte) 0xff) {
            return Arrays.copyOfRange(v6, 12, 16); // ::ffff:a.b.c.d
        }
        if (firstTenZero
                && v6[10] == 0
                && v6[11] == 0
                && !(v6[12] == 0 && v6[13] == 0 && v6[14] == 0 && (v6[15] == 0 || v6[15] == 1))) {
            return Arrays.copyOfRange(v6, 12, 16); // ::a.b.c.d (not :: and ::1, judged as such)
        }
        if (v6[0] == 0
                && v6[1] == 0x64
                && v6[2] == (byte) 0xff
                && v6[3] == (byte) 0x9b
                && Arrays.equals(v6, 4, 12, new byte[8], 0, 8)) {
            return Arrays.copyOfRange(v6, 12, 16); // 64:ff9b::a.b.c.d
        }
        if (v6[0] == 0x20 && v6[1] == 0x02) {
            return Arrays.copyOfRange(v6, 2, 6); // 2002:aabb:ccdd::
        }
        return null;
    }

    private static InetAddress v4(byte[] bytes) {
        try {
            return Inet4Address.getByAddress(bytes);
        } catch (UnknownHostException ex) {
            throw new IllegalStateException("four bytes are an IPv4 address", ex);
        }
    }

    private static List<Block> blocks(String... cidrs) {
        return Arrays.stream(cidrs)
                .map(cidr -> {
                    String[] parts = cidr.split("/");
                    return new Block(NetUtil.createByteArrayFromIpAddressString(parts[0]), Integer.parseInt(parts[1]));
                })
                .toList();
    }

    /** An address block: the first {@code bits} bits of {@code prefix}. */
    private record Block(byte[] prefix, int bits) {

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            if (!Arrays.equals(address, 0, whole, prefix, 0, whole)) {
                return false;
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }
    }
}
