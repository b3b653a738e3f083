package dev.talkback.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NormalizedTextTests {

    @Test
    void foldsWidthCaseZeroWidthAndBidiOverrides() {
        NormalizedText t = NormalizedText.of("ＦＲＥＥ  mo\u200Bney \u202Eevil\u202C\u0007");
        assertThat(t.text()).isEqualTo("free money evil");
        assertThat(t.words()).containsExactly("free", "money", "evil");
    }

    @Test
    void foldsLatinLookAlikesButLeavesWordsOfAnotherScript() {
        // Cyrillic "с" and "о" inside Latin words, a word of look-alikes only, and a genuine Russian word.
        NormalizedText t = NormalizedText.of("frее саsinо рау Привет");
        assertThat(t.words()).containsExactly("free", "casino", "pay", "привет");
    }

    @Test
    void undoesLeetSpelledOutAndStretchedWords() {
        assertThat(NormalizedText.of("v1agr@ V.I.A.G.R.A v-i-a-g-r-a fuuuuck").words())
                .containsExactly("viagra", "viagra", "viagra", "fuck");
        assertThat(NormalizedText.of("buy v i a g r a now").words()).contains("viagra", "buy", "now");
        assertThat(NormalizedText.of("in 2015 we had 100 cool ones").words())
                .containsExactly("in", "2015", "we", "had", "100", "cool", "ones");
    }

    @Test
    void findsLinksIncludingObfuscatedOnes() {
        assertThat(NormalizedText.of("see https://Example.ORG/x?y=1 and www.foo.net")
                        .links())
                .extracting(NormalizedText.Link::host)
                .containsExactly("example.org", "foo.net");
        assertThat(NormalizedText.of("visit mysite dot com or my(.)shop[.]biz today")
                        .links())
                .extracting(NormalizedText.Link::host)
                .containsExactly("mysite.com", "my.shop.biz");
        assertThat(NormalizedText.of("check my you[tube] channel at bit.ly/abc").links())
                .extracting(NormalizedText.Link::host)
                .containsExactly("bit.ly");
        assertThat(NormalizedText.of("check my you[tube] channel").words()).contains("youtube");
        assertThat(NormalizedText.of("<a href=\"http://spam.example.com/x\">click</a>")
                        .links())
                .extracting(NormalizedText.Link::host)
                .containsExactly("spam.example.com");
        assertThat(NormalizedText.of("mail me at ada@example.com, e.g. this").links())
                .isEmpty();
    }

    @Test
    void decodesHtmlEntitiesAndDropsTags() {
        assertThat(NormalizedText.of("I&#39;m here<br />&amp;amp; there &bogus;")
                        .text())
                .isEqualTo("i'm here & there &bogus;");
    }

    @Test
    void survivesBadInputs() {
        assertThat(NormalizedText.of("").words()).isEmpty();
        assertThat(NormalizedText.of("   \n\t ").text()).isEmpty();
        // Unpaired surrogates are dropped, a valid pair (emoji) is kept.
        NormalizedText broken = NormalizedText.of("a\uD800b\uDC00c \uD83D\uDE00");
        assertThat(broken.text()).isEqualTo("abc \uD83D\uDE00");
        assertThat(NormalizedText.of("😀😀🎉").words()).isEmpty();
        assertThat(NormalizedText.of("http://a.example/1 http://b.example/2").links())
                .hasSize(2);
        String huge = "spam ".repeat(1_000_000);
        NormalizedText t = NormalizedText.of(huge);
        assertThat(t.text().length()).isLessThanOrEqualTo(NormalizedText.MAX_CHARS);
        assertThat(NormalizedText.of("<".repeat(100_000)).text()).isNotEmpty();
    }

    @Test
    void countsCapitals() {
        assertThat(NormalizedText.of("CHECK OUT MY CHANNEL").capitalShare()).isEqualTo(1.0);
        assertThat(NormalizedText.of("Nice song").capitalShare()).isLessThan(0.2);
    }
}
