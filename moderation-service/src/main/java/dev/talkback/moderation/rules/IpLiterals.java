package dev.talkback.moderation.rules;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * IP address literals and CIDR ranges, checked without ever resolving a host name ({@link InetAddress#getByName}
 * is only called on strings that can only be literals).
 */
final class IpLiterals {

    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    private IpLiterals() {}

    static boolean isLiteral(String ip) {
        if (IPV4.matcher(ip).matches()) {
            return true;
        }
        if (!ip.contains(":") || !IPV6_CHARS.matcher(ip).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(ip);
            return true;
        } catch (UnknownHostException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The canonical text of a literal (IPv6 compressed the Java way), so that equal addresses compare equal. */
    static String canonical(String ip) {
        if (!isLiteral(ip)) {
            return ip;
        }
        try {
            return InetAddress.getByName(ip).getHostAddress();
        } catch (UnknownHostException e) {
            return ip;
        }
    }

    /** What is wrong with a CIDR range, or the empty string if it is valid. */
    static String cidrProblem(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return "must be an IP range like 192.0.2.0/24 or 2001:db8::/32";
        }
        String address = cidr.substring(0, slash);
        String bits = cidr.substring(slash + 1);
        if (!isLiteral(address)) {
            return "the address part is not an IPv4 or IPv6 address";
        }
        int max = IPV4.matcher(address).matches() ? 32 : 128;
        if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > max) {
            return "the prefix length must be a number from 0 to " + max;
        }
        return "";
    }

    /** Whether the address lies in the (valid) CIDR range; an address of the other family never does. */
    static boolean inRange(String ip, String cidr) {
        if (!isLiteral(ip) || !cidrProblem(cidr).isEmpty()) {
            return false;
        }
        try {
            int slash = cidr.indexOf('/');
            byte[] address = InetAddress.getByName(ip).getAddress();
            byte[] network = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            if (address.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
