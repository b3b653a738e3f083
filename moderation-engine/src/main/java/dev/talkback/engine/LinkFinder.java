package dev.talkback.engine;

import java.util.Set;

/**
 * Finds links in normalised (lower-case) text, by hand: what the regular expression
 * <pre>
 * (?:https?://|www\.)[^\s&lt;&gt;"']+
 * |(?&lt;![\p{L}\p{N}@.\-])(?:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\.)+(?:com|net|...)(?![\p{L}\p{N}-])(?:/[^\s&lt;&gt;"']*)?
 * </pre>
 * found with {@code find()}, in time linear in the text. The expression recursed once per label and overflowed the
 * stack on {@code a.} repeated a few thousand times; here a label chain is scanned once from the one place it can
 * start (after a character that is not a letter, digit, {@code @}, {@code .} or {@code -}), so no character is
 * looked at by more than one chain.
 */
final class LinkFinder {

    /** Top-level domains that make a bare {@code name.tld} a link. */
    static final Set<String> TLDS = Set.of(
            "com", "net", "org", "info", "biz", "ru", "co", "io", "ly", "me", "tk", "us", "uk", "de", "fr", "xyz",
            "online", "site", "club", "top", "tv", "gl", "be", "to", "cc", "in", "eu", "es", "it", "nl", "pl", "br",
            "ml", "ga", "cf", "gq", "link", "shop", "store", "live", "app", "ws");

    private static final int MAX_LABEL = 64;

    private LinkFinder() {}

    /** The first link at or after {@code from}, as {@code start << 32 | end}, or -1. */
    static long next(String s, int from) {
        int n = s.length();
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c == 'h' || c == 'w') {
                int rest = c == 'h' ? schemeEnd(s, i) : s.startsWith("www.", i) ? i + 4 : -1;
                if (rest >= 0 && rest < n && !endsUrl(s.charAt(rest))) {
                    return span(i, urlEnd(s, rest));
                }
            }
            if (isLabelChar(c) && c != '-' && (i == 0 || mayStartHost(s.codePointBefore(i)))) {
                int end = hostLinkEnd(s, i);
                if (end >= 0) {
                    return span(i, end);
                }
            }
        }
        return -1;
    }

    static int start(long span) {
        return (int) (span >>> 32);
    }

    static int end(long span) {
        return (int) span;
    }

    private static long span(int start, int end) {
        return (long) start << 32 | end;
    }

    /** After {@code http://} or {@code https://} at {@code i}, or -1. */
    private static int schemeEnd(String s, int i) {
        if (s.startsWith("http://", i)) {
            return i + 7;
        }
        return s.startsWith("https://", i) ? i + 8 : -1;
    }

    /** {@code [\s<>"']}: what ends a link. */
    private static boolean endsUrl(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == '<' || c == '>'
                || c == '"' || c == '\'';
    }

    private static int urlEnd(String s, int from) {
        int i = from;
        while (i < s.length() && !endsUrl(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isLabelChar(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-';
    }

    /** The look-behind {@code (?<![\p{L}\p{N}@.\-])}. */
    private static boolean mayStartHost(int before) {
        return !isLetterOrNumber(before) && before != '@' && before != '.' && before != '-';
    }

    /** {@code [\p{L}\p{N}]}. */
    private static boolean isLetterOrNumber(int cp) {
        if (Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER
                || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /**
     * Where a link of labels and a known top-level domain starting at {@code i} ends, or -1. The labels are forced
     * (each runs to the next dot), so the longest chain is read once and then shortened, as the greedy expression
     * backtracked, until the label after it is a known top-level domain that ends the host.
     */
    private static int hostLinkEnd(String s, int i) {
        int n = s.length();
        // label starts: labels[0] = i, each valid label followed by a dot
        int labels = 0;
        int q = i;
        int[] starts = new int[8];
        while (true) {
            int j = q;
            while (j < n && isLabelChar(s.charAt(j)) && j - q <= MAX_LABEL) {
                j++;
            }
            boolean valid = j > q
                    && j - q <= MAX_LABEL
                    && j < n
                    && s.charAt(j) == '.'
                    && s.charAt(q) != '-'
                    && s.charAt(j - 1) != '-';
            if (!valid) {
                break;
            }
            if (labels + 1 >= starts.length) {
                starts = java.util.Arrays.copyOf(starts, starts.length * 2);
            }
            starts[++labels] = j + 1;
            q = j + 1;
        }
        for (int k = labels; k >= 1; k--) {
            int tld = starts[k];
            int r = tld;
            while (r < n && (isLetterOrNumber(s.codePointAt(r)) || s.charAt(r) == '-')) {
                r += Character.charCount(s.codePointAt(r));
            }
            if (r - tld <= 6 && TLDS.contains(s.substring(tld, r))) {
                return r < n && s.charAt(r) == '/' ? urlEnd(s, r) : r;
            }
        }
        return -1;
    }
}
