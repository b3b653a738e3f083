package dev.talkback.engine;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A comment's text prepared for matching: Unicode NFKC (full-width and compatibility forms folded), zero-width and
 * control characters removed, whitespace collapsed, lower case; plus the links it contains.
 */
final class NormalizedText {

    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cf}\\p{Cc}&&[^\\n\\t ]]");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern LINK = Pattern.compile(
            "(?i)\\b(?:https?://|www\\.)[^\\s<>\"']+");
    private static final Pattern WORD_SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final String text;
    private final List<String> links;
    private final List<String> words;

    private NormalizedText(String text, List<String> links, List<String> words) {
        this.text = text;
        this.links = links;
        this.words = words;
    }

    static NormalizedText of(String raw) {
        String nfkc = Normalizer.normalize(raw, Normalizer.Form.NFKC);
        String visible = INVISIBLE.matcher(nfkc).replaceAll("");
        String text = WHITESPACE.matcher(visible).replaceAll(" ").trim().toLowerCase(Locale.ROOT);
        List<String> links = new ArrayList<>();
        Matcher matcher = LINK.matcher(text);
        while (matcher.find()) {
            links.add(matcher.group());
        }
        List<String> words = List.of(WORD_SEPARATORS.split(text)).stream().filter(w -> !w.isEmpty()).toList();
        return new NormalizedText(text, List.copyOf(links), words);
    }

    String text() {
        return text;
    }

    List<String> links() {
        return links;
    }

    List<String> words() {
        return words;
    }
}
