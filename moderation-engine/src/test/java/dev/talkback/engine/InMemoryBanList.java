package dev.talkback.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** A {@link BanList} in memory, with CIDR matching for IPv4 and IPv6 networks. */
public final class InMemoryBanList implements BanList {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

    private final List<Ban> bans = new CopyOnWriteArrayList<>();

    public void add(Ban ban) {
        bans.add(ban);
    }

    @Override
    public Optional<Ban> find(@Nullable String email, @Nullable String domain, @Nullable String ip, Instant now) {
        for (Ban ban : bans) {
            if (!ban.activeAt(now)) {
                continue;
            }
            String value = ban.value().toLowerCase(Locale.ROOT);
            boolean hit = switch (ban.kind()) {
                case EMAIL -> email != null && email.toLowerCase(Locale.ROOT).equals(value);
                case DOMAIN -> domain != null && (domain.equals(value) || domain.endsWith("." + value));
                case NETWORK -> ip != null && inNetwork(ip, value);
            };
            if (hit) {
                return Optional.of(ban);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code ip} is in {@code network} ({@code address} or {@code address/prefix}); false on bad input. */
    static boolean inNetwork(String ip, String network) {
        int slash = network.indexOf('/');
        byte[] address = parse(ip);
        byte[] base = parse(slash < 0 ? network : network.substring(0, slash));
        if (address == null || base == null || address.length != base.length) {
            return false;
        }
        int prefix;
        try {
            prefix = slash < 0 ? base.length * 8 : Integer.parseInt(network.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (prefix < 0 || prefix > base.length * 8) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((address[bit / 8] & mask) != (base[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** Parses an IP literal without ever asking DNS (InetAddress would look a host name up). */
    private static byte[] parse(String ip) {
        String s = ip.trim();
        if (IPV4.matcher(s).matches()) {
            String[] parts = s.split("\\.");
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                out[i] = (byte) v;
            }
            return out;
        }
        if (s.indexOf(':') >= 0 && IPV6.matcher(s).matches()) {
            try {
                return InetAddress.getByName(s).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }
}
