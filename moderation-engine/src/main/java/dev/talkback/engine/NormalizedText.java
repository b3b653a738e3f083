package dev.talkback.engine;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    private static final Pattern HREF = Pattern.compile("(?i)<a\\s[^>]*?href\\s*=\\s*[\"']([^\"']*)[\"'][^>]*>");
    private static final Pattern TAG = Pattern.compile("<[^>]{0,500}>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");
    private static final Pattern BRACKETED_DOT = Pattern.compile(
            "\\s*[\\[({<]\\s*(?:dot|\\.|punkt|point)\\s*[\\])}>]\\s*");
    private static final Pattern SPOKEN_DOT = Pattern.compile(
            "(?<=[\\p{L}\\p{N}])\\s+dot\\s+(?=(?:com|net|org|info|biz|ru|co|io|us|uk|de|fr|xyz|me|tk|ly|tv)\\b)");
    private static final Pattern BRACKETED_PART = Pattern.compile("(?<=[\\p{L}\\p{N}])[\\[({]([\\p{L}\\p{N}]{1,20})[\\])}]");
    private static final Pattern LINK = Pattern.compile(
            "(?:https?://|www\\.)[^\\s<>\"']+"
                    + "|(?<![\\p{L}\\p{N}@.\\-])(?:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\\.)+"
                    + "(?:com|net|org|info|biz|ru|co|io|ly|me|tk|us|uk|de|fr|xyz|online|site|club|top|tv|gl|be|to|cc"
                    + "|in|eu|es|it|nl|pl|br|ml|ga|cf|gq|link|shop|store|live|app|ws)"
                    + "(?![\\p{L}\\p{N}-])(?:/[^\\s<>\"']*)?");

    private final String text;
    private final List<Link> links;
    private final List<String> words;
    private final String prose;
    private final List<String> proseWords;
    private final int letters;
    private final int upperCaseLetters;

    private NormalizedText(String text, List<Link> links, List<String> words, String prose, List<String> proseWords,
            int letters, int upperCaseLetters) {
        this.text = text;
        this.links = links;
        this.words = words;
        this.prose = prose;
        this.proseWords = proseWords;
        this.letters = letters;
        this.upperCaseLetters = upperCaseLetters;
    }

    static NormalizedText of(String raw) {
        String limited = raw.length() > MAX_CHARS ? raw.substring(0, MAX_CHARS) : raw;
        String markupFree = stripMarkup(limited);
        String nfkc = Normalizer.normalize(dropInvisible(markupFree), Normalizer.Form.NFKC);
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
        List<Link> links = new ArrayList<>();
        Matcher matcher = LINK.matcher(deobfuscated);
        StringBuilder prose = new StringBuilder(deobfuscated.length());
        int last = 0;
        // Every link has a dot; most comments have none worth a regular expression's time.
        boolean mayHaveLinks = hasDotBetweenLetters(deobfuscated);
        while (mayHaveLinks && matcher.find()) {
            links.add(Link.of(matcher.group()));
            prose.append(deobfuscated, last, matcher.start()).append(' ');
            last = matcher.end();
        }
        String proseText = links.isEmpty() ? deobfuscated : prose.append(deobfuscated, last, deobfuscated.length()).toString();
        List<String> words = Words.of(deobfuscated);
        List<String> proseWords = links.isEmpty() ? words : Words.of(proseText);
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
        String withLinks = HREF.matcher(s).replaceAll(m -> " " + Matcher.quoteReplacement(m.group(1)) + " ");
        String noTags = TAG.matcher(withLinks).replaceAll(" ");
        // Twice, because published YouTube text double-escapes (&amp;#39;).
        return decodeEntities(decodeEntities(noTags));
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
                keep = c == '\n' || c == '\t' || c == ' '
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

        static Link of(String url) {
            String rest = url.replaceFirst("^[a-z]+://", "");
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

        /** Whether the host is the domain or one of its subdomains. */
        boolean isOn(String domain) {
            return host.equals(domain) || host.endsWith("." + domain);
        }
    }
}
