package dev.talkback.engine;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A comment's text prepared for matching. Every later phase works on this, never on the raw text, so that one trick
 * defeated here (full-width letters, Cyrillic look-alikes, zero-width joiners, "dot com") is defeated everywhere.
 *
 * <ul>
 * <li>{@link #text()}: HTML entities decoded and tags dropped (YouTube-style markup keeps its {@code href}), NFKC,
 * zero-width, bidi-override and control characters and unpaired surrogates removed, lower case, Latin look-alikes
 * folded in words that are not wholly in another script, whitespace collapsed;</li>
 * <li>{@link #links()}: links found in that text after undoing the usual obfuscations ({@code you[tube]},
 * {@code example dot com}, {@code example(.)com});</li>
 * <li>{@link #words()}: the words for word lists and the spam model, with l33t digits mapped to letters, runs of a
 * repeated letter squeezed and spelled-out words ({@code v.i.a.g.r.a}, {@code v i a g r a}) joined.</li>
 * </ul>
 */
final class NormalizedText {

    /** Longest text looked at: nothing a reader writes needs more, and it bounds the cost of a hostile input. */
    static final int MAX_CHARS = 20_000;

    /** Longest tag dropped as a tag: a {@code <} further than this from its {@code >} is text. */
    private static final int MAX_TAG = 500;

    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Pattern BRACKETED_DOT =
            Pattern.compile("\\s*[\\[({<]\\s*(?:dot|\\.|punkt|point)\\s*[\\])}>]\\s*");
    private static final Pattern SPOKEN_DOT = Pattern.compile(
            "(?<=[\\p{L}\\p{N}])\\s+dot\\s+(?=(?:com|net|org|info|biz|ru|co|io|us|uk|de|fr|xyz|me|tk|ly|tv)\\b)");
    private static final Pattern BRACKETED_PART =
            Pattern.compile("(?<=[\\p{L}\\p{N}])[\\[({]([\\p{L}\\p{N}]{1,20})[\\])}]");

    private final String text;
    private final List<Link> links;
    private final List<String> words;
    private final String prose;
    private final List<String> proseWords;
    private final int letters;
    private final int upperCaseLetters;

    private NormalizedText(
            String text,
            List<Link> links,
            List<String> words,
            String prose,
            List<String> proseWords,
            int letters,
            int upperCaseLetters) {
        this.text = text;
        this.links = links;
        this.words = words;
        this.prose = prose;
        this.proseWords = proseWords;
        this.letters = letters;
        this.upperCaseLetters = upperCaseLetters;
    }

    static NormalizedText of(String raw) {
        return of(raw, Deadline.NONE);
    }

    /** The text prepared, checking the deadline after each step (each is linear in the text). */
    static NormalizedText of(String raw, Deadline deadline) {
        String limited = raw.length() > MAX_CHARS ? raw.substring(0, MAX_CHARS) : raw;
        String markupFree = stripMarkup(limited);
        deadline.check("markup");
        String nfkc = Normalizer.normalize(dropInvisible(markupFree), Normalizer.Form.NFKC);
        deadline.check("unicode");
        int letters = 0;
        int upper = 0;
        for (int i = 0; i < nfkc.length(); i++) {
            char c = nfkc.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.isUpperCase(c)) {
                    upper++;
                }
            }
        }
        String lower = collapseWhitespace(dropInvisible(nfkc)).toLowerCase(Locale.ROOT);
        String text = Homoglyphs.fold(lower);
        String deobfuscated = deobfuscateLinks(text);
        deadline.check("look-alikes");
        List<Link> links = new ArrayList<>();
        StringBuilder prose = new StringBuilder(deobfuscated.length());
        int last = 0;
        // Every link has a dot; most comments have none worth a scan.
        long span = hasDotBetweenLetters(deobfuscated) ? LinkFinder.next(deobfuscated, 0) : -1;
        for (; span >= 0; span = LinkFinder.next(deobfuscated, last)) {
            links.add(Link.of(deobfuscated.substring(LinkFinder.start(span), LinkFinder.end(span))));
            prose.append(deobfuscated, last, LinkFinder.start(span)).append(' ');
            last = LinkFinder.end(span);
        }
        String proseText = links.isEmpty()
                ? deobfuscated
                : prose.append(deobfuscated, last, deobfuscated.length()).toString();
        deadline.check("links");
        List<String> words = Words.of(deobfuscated, deadline);
        List<String> proseWords = links.isEmpty() ? words : Words.of(proseText, deadline);
        return new NormalizedText(text, List.copyOf(links), words, proseText, proseWords, letters, upper);
    }

    /** The cleaned text, lower case. */
    String text() {
        return text;
    }

    List<Link> links() {
        return links;
    }

    List<String> words() {
        return words;
    }

    /** The text without its links, for the spam model: it judges links by their hosts, not by their spelling. */
    String prose() {
        return prose;
    }

    List<String> proseWords() {
        return proseWords;
    }

    /** Share of letters written in capitals, 0 when there are no letters. */
    double capitalShare() {
        return letters == 0 ? 0 : (double) upperCaseLetters / letters;
    }

    int letterCount() {
        return letters;
    }

    static String deobfuscateLinks(String text) {
        String s = text;
        boolean brackets = false;
        for (int i = 0; i < s.length() && !brackets; i++) {
            char c = s.charAt(i);
            brackets = c == '[' || c == '(' || c == '{' || c == '<';
        }
        if (brackets) {
            s = BRACKETED_DOT.matcher(s).replaceAll(".");
        }
        if (s.contains(" dot ")) {
            s = SPOKEN_DOT.matcher(s).replaceAll(".");
        }
        if (brackets) {
            s = BRACKETED_PART.matcher(s).replaceAll("$1");
        }
        return s;
    }

    private static boolean hasDotBetweenLetters(String s) {
        for (int i = s.indexOf('.'); i > 0 && i + 1 < s.length(); i = s.indexOf('.', i + 1)) {
            if (Character.isLetterOrDigit(s.charAt(i - 1)) && Character.isLetterOrDigit(s.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }

    private static String collapseWhitespace(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String stripMarkup(String s) {
        if (s.indexOf('<') < 0 && s.indexOf('&') < 0) {
            return s;
        }
        String noTags = s.indexOf('<') < 0 ? s : dropTags(keepHrefs(s));
        // Twice, because published YouTube text double-escapes (&amp;#39;).
        return decodeEntities(decodeEntities(noTags));
    }

    /**
     * Replaces each link tag with its {@code href}, surrounded by spaces: what the regular expression
     * {@code (?i)<a\s[^>]*?href\s*=\s*["']([^"']*)["'][^>]*>} did with {@code replaceAll}, in one pass. The
     * expression itself backtracked cubically on {@code <a\thref=""} repeated without a {@code >} (seconds for 10,000
     * characters): here each {@code href} is judged once, and each tag start finds the first good one before its
     * first {@code >} through a table, so the cost is linear whatever the input.
     */
    static String keepHrefs(String s) {
        int n = s.length();
        // nextGt[i]: the first '>' at or after i (n if none)
        int[] nextGt = new int[n + 1];
        nextGt[n] = n;
        for (int i = n - 1; i >= 0; i--) {
            nextGt[i] = s.charAt(i) == '>' ? i : nextGt[i + 1];
        }
        if (nextGt[0] == n) {
            return s;
        }
        // for an href at p whose value is quoted and followed by a '>': the value's end (a quote); else -1
        int[] valueEnd = new int[n];
        // nextHref[i]: the first such href at or after i (n if none)
        int[] nextHref = new int[n + 1];
        nextHref[n] = n;
        for (int p = n - 1; p >= 0; p--) {
            valueEnd[p] = hrefValueEnd(s, p, nextGt);
            nextHref[p] = valueEnd[p] >= 0 ? p : nextHref[p + 1];
        }
        StringBuilder out = null;
        int copied = 0;
        for (int i = s.indexOf('<'); i >= 0 && i + 3 < n; i = s.indexOf('<', i + 1)) {
            if ((s.charAt(i + 1) | 0x20) != 'a' || !isRegexSpace(s.charAt(i + 2))) {
                continue;
            }
            // the lazy [^>]*? stops at the first href that completes the match and never crosses a '>'
            int p = nextHref[i + 3];
            if (p >= nextGt[i + 3]) {
                continue;
            }
            int end = valueEnd[p];
            int valueStart = s.indexOf('=', p + 4);
            valueStart = skipRegexSpace(s, valueStart + 1) + 1;
            out = out == null ? new StringBuilder(n) : out;
            out.append(s, copied, i).append(' ').append(s, valueStart, end).append(' ');
            copied = nextGt[end + 1] + 1;
            i = copied - 1;
        }
        return out == null ? s : out.append(s, copied, n).toString();
    }

    /**
     * Where the quoted value of an {@code href} at {@code p} ends, if {@code href\s*=\s*["']([^"']*)["'][^>]*>}
     * matches there; else -1. Every scan here is over a stretch that belongs to this {@code href} alone.
     */
    private static int hrefValueEnd(String s, int p, int[] nextGt) {
        int n = s.length();
        if (p + 4 > n
                || (s.charAt(p) | 0x20) != 'h'
                || (s.charAt(p + 1) | 0x20) != 'r'
                || (s.charAt(p + 2) | 0x20) != 'e'
                || (s.charAt(p + 3) | 0x20) != 'f') {
            return -1;
        }
        int i = skipRegexSpace(s, p + 4);
        if (i >= n || s.charAt(i) != '=') {
            return -1;
        }
        i = skipRegexSpace(s, i + 1);
        if (i >= n || s.charAt(i) != '"' && s.charAt(i) != '\'') {
            return -1;
        }
        for (int k = i + 1; k < n; k++) {
            char c = s.charAt(k);
            if (c == '"' || c == '\'') {
                return nextGt[k + 1] < n ? k : -1;
            }
        }
        return -1;
    }

    /** What {@code \\s} matches in a Java regular expression. */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static int skipRegexSpace(String s, int from) {
        int i = from;
        while (i < s.length() && isRegexSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Replaces each tag ({@code <} and at most {@value #MAX_TAG} characters to the next {@code >}) with a space. */
    static String dropTags(String s) {
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        int gt = -1;
        for (int i = s.indexOf('<'); i >= 0; i = s.indexOf('<', i + 1)) {
            if (gt <= i) {
                gt = s.indexOf('>', i + 1);
                if (gt < 0) {
                    break;
                }
            }
            if (gt - i - 1 > MAX_TAG) {
                continue;
            }
            out = out == null ? new StringBuilder(n) : out;
            out.append(s, copied, i).append(' ');
            copied = gt + 1;
            i = gt;
        }
        return out == null ? s : out.append(s, copied, n).toString();
    }

    private static String decodeEntities(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        return ENTITY.matcher(s).replaceAll(m -> Matcher.quoteReplacement(entity(m.group(1), m.group())));
    }

    private static String entity(String name, String whole) {
        try {
            if (name.startsWith("#x") || name.startsWith("#X")) {
                return codePoint(Integer.parseInt(name.substring(2), 16), whole);
            }
            if (name.startsWith("#")) {
                return codePoint(Integer.parseInt(name.substring(1)), whole);
            }
        } catch (NumberFormatException e) {
            return whole;
        }
        return switch (name) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            case "nbsp" -> " ";
            default -> whole;
        };
    }

    private static String codePoint(int cp, String whole) {
        return Character.isValidCodePoint(cp) && !Character.isSurrogate((char) cp) ? Character.toString(cp) : whole;
    }

    /** Drops format (zero-width, bidi overrides) and control characters except whitespace, and unpaired surrogates. */
    private static String dropInvisible(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean keep;
            if (Character.isHighSurrogate(c)) {
                keep = i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                if (keep) {
                    int cp = s.codePointAt(i);
                    int type = Character.getType(cp);
                    if (type == Character.FORMAT || type == Character.UNASSIGNED || type == Character.PRIVATE_USE) {
                        out = copyUpTo(out, s, i);
                        i++;
                        continue;
                    }
                    if (out != null) {
                        out.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else if (Character.isLowSurrogate(c)) {
                keep = false;
            } else {
                int type = Character.getType(c);
                keep = c == '\n'
                        || c == '\t'
                        || c == ' '
                        || (type != Character.FORMAT && type != Character.CONTROL && type != Character.PRIVATE_USE);
                if (!keep && Character.isWhitespace(c)) {
                    out = copyUpTo(out, s, i);
                    out.append(' ');
                    continue;
                }
            }
            if (!keep) {
                out = copyUpTo(out, s, i);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    private static StringBuilder copyUpTo(StringBuilder out, String s, int i) {
        return out != null ? out : new StringBuilder(s.length()).append(s, 0, i);
    }

    /** A link found in a comment. */
    record Link(String url, String host) {

        /** Longest domain name there can be (RFC 1035). */
        private static final int MAX_DOMAIN = 253;

        static Link of(String url) {
            String rest = url.substring(schemeLength(url));
            int end = rest.length();
            for (int i = 0; i < rest.length(); i++) {
                char c = rest.charAt(i);
                if (c == '/' || c == '?' || c == '#' || c == ':') {
                    end = i;
                    break;
                }
            }
            String host = rest.substring(0, end);
            if (host.startsWith("www.")) {
                host = host.substring(4);
            }
            while (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            return new Link(url, host);
        }

        /** The length of a leading {@code [a-z]+://}, or 0: without compiling an expression per link. */
        private static int schemeLength(String url) {
            int i = 0;
            while (i < url.length() && url.charAt(i) >= 'a' && url.charAt(i) <= 'z') {
                i++;
            }
            return i > 0 && url.startsWith("://", i) ? i + 3 : 0;
        }

        /**
         * The domain of the set the host is on (the host itself or a parent domain; the longest), or null. One
         * look-up per label of the host, whatever the size of the set, and none for suffixes longer than a domain
         * name can be: a hostile host of thousands of labels costs no more than a real one.
         */
        String onAnyOf(Set<String> domains) {
            if (domains.isEmpty()) {
                return null;
            }
            for (int from = 0; from >= 0 && from < host.length(); ) {
                if (host.length() - from <= MAX_DOMAIN) {
                    String suffix = host.substring(from);
                    if (domains.contains(suffix)) {
                        return suffix;
                    }
                }
                int dot = host.indexOf('.', from);
                from = dot < 0 ? -1 : dot + 1;
            }
            return null;
        }
    }
}
