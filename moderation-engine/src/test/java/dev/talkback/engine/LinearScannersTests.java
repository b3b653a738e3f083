package dev.talkback.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written scanners that replaced backtracking regular expressions find exactly what those expressions found:
 * each is compared with its expression (kept here as the oracle) on many short random texts built from the fragments
 * that matter to it. Short, because the expressions are only slow on long hostile texts.
 */
class LinearScannersTests {

    private static final Pattern HREF = Pattern.compile("(?i)<a\\s[^>]*?href\\s*=\\s*[\"']([^\"']*)[\"'][^>]*>");
    private static final Pattern TAG = Pattern.compile("<[^>]{0,500}>");
    private static final Pattern LINK = Pattern.compile("(?:https?://|www\\.)[^\\s<>\"']+"
            + "|(?<![\\p{L}\\p{N}@.\\-])(?:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\\.)+"
            + "(?:com|net|org|info|biz|ru|co|io|ly|me|tk|us|uk|de|fr|xyz|online|site|club|top|tv|gl|be|to|cc"
            + "|in|eu|es|it|nl|pl|br|ml|ga|cf|gq|link|shop|store|live|app|ws)"
            + "(?![\\p{L}\\p{N}-])(?:/[^\\s<>\"']*)?");
    private static final Pattern TIMESTAMP = Pattern.compile("[?&#]t=\\d+m?\\d*s?\\b");

    private static final int CASES = 20_000;

    @Test
    void linkTagsKeepTheirHrefAsTheExpressionDid() {
        String[] fragments = {
            "<a",
            "<A",
            " ",
            "\t",
            "\n",
            "href",
            "HREF",
            "=",
            "\"",
            "'",
            ">",
            "<",
            "x",
            "a",
            "b=",
            "<a href=\"",
            "\">",
            "'>",
            "<b>",
            "é"
        };
        Random random = new Random(1);
        for (int i = 0; i < CASES; i++) {
            String text = randomText(random, fragments, 12);
            String expected = HREF.matcher(text).replaceAll(m -> " " + Matcher.quoteReplacement(m.group(1)) + " ");
            assertThat(NormalizedText.keepHrefs(text)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void tagsAreDroppedAsTheExpressionDid() {
        String[] fragments = {"<", ">", "x", " ", "<b>", "<<", ">>", "y".repeat(250), "<a href='x'>"};
        Random random = new Random(2);
        for (int i = 0; i < CASES; i++) {
            String text = randomText(random, fragments, 10);
            assertThat(NormalizedText.dropTags(text))
                    .as(text)
                    .isEqualTo(TAG.matcher(text).replaceAll(" "));
        }
    }

    @Test
    void linksAreFoundAsTheExpressionFoundThem() {
        String[] fragments = {
            "a",
            "b",
            "x1",
            "-",
            ".",
            ".",
            "com",
            "co",
            "net",
            "info",
            "www.",
            "http://",
            "https://",
            "/",
            "/p?q=1",
            " ",
            "@",
            "é",
            "٣",
            "ⅷ",
            "'",
            "<",
            "\"",
            "ab-c",
            "-z",
            "q".repeat(63),
            "é.com"
        };
        Random random = new Random(3);
        for (int i = 0; i < CASES; i++) {
            String text = randomText(random, fragments, 10);
            List<String> expected = new ArrayList<>();
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                expected.add(m.start() + ":" + m.group());
            }
            List<String> found = new ArrayList<>();
            for (long span = LinkFinder.next(text, 0); span >= 0; span = LinkFinder.next(text, LinkFinder.end(span))) {
                found.add(LinkFinder.start(span) + ":" + text.substring(LinkFinder.start(span), LinkFinder.end(span)));
            }
            assertThat(found).as(text).isEqualTo(expected);
        }
    }

    @Test
    void timestampsAreFoundAsTheExpressionFoundThem() {
        String[] fragments = {"?", "&", "#", "t=", "t", "=", "1", "42", "m", "s", "x", "_", "/", ".", "é", "\u0301"};
        Random random = new Random(4);
        for (int i = 0; i < CASES; i++) {
            String text = randomText(random, fragments, 10);
            assertThat(SpamFeatures.hasTimestamp(text))
                    .as(text)
                    .isEqualTo(TIMESTAMP.matcher(text).find());
        }
    }

    private static String randomText(Random random, String[] fragments, int maxFragments) {
        StringBuilder text = new StringBuilder();
        int count = random.nextInt(maxFragments + 1);
        for (int i = 0; i < count; i++) {
            text.append(fragments[random.nextInt(fragments.length)]);
        }
        return text.toString();
    }
}
