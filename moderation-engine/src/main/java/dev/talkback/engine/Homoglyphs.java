package dev.talkback.engine;

/**
 * Folds letters that look like Latin ones (Cyrillic, Greek, a few IPA letters) to those Latin letters, the trick
 * spammers use to slip "ѕех" past a word list. A word written wholly in another script is left alone, so that a
 * Russian or Greek comment keeps its words; a word that mixes scripts, or consists only of look-alikes, is folded.
 * The text is lower case already (NFKC has folded mathematical and full-width forms).
 */
final class Homoglyphs {

    private static final char[] FROM = "авеёкмнопрстухѕіїјԁһӏɡɑοαεκνρτυιχβηωμ".toCharArray();
    private static final char[] TO = new char[FROM.length];
    private static final char NONE = 0;

    static {
        put('а', 'a');
        put('в', 'b');
        put('е', 'e');
        put('ё', 'e');
        put('к', 'k');
        put('м', 'm');
        put('н', 'h');
        put('о', 'o');
        put('п', 'n');
        put('р', 'p');
        put('с', 'c');
        put('т', 't');
        put('у', 'y');
        put('х', 'x');
        put('ѕ', 's');
        put('і', 'i');
        put('ї', 'i');
        put('ј', 'j');
        put('ԁ', 'd');
        put('һ', 'h');
        put('ӏ', 'l');
        put('ɡ', 'g');
        put('ɑ', 'a');
        put('ο', 'o');
        put('α', 'a');
        put('ε', 'e');
        put('κ', 'k');
        put('ν', 'v');
        put('ρ', 'p');
        put('τ', 't');
        put('υ', 'u');
        put('ι', 'i');
        put('χ', 'x');
        put('β', 'b');
        put('η', 'n');
        put('ω', 'w');
        put('μ', 'u');
    }

    private Homoglyphs() {}

    private static void put(char from, char to) {
        for (int i = 0; i < FROM.length; i++) {
            if (FROM[i] == from) {
                TO[i] = to;
                return;
            }
        }
        throw new IllegalStateException("not in table: " + from);
    }

    private static char latin(char c) {
        if (c < 0x250) {
            return NONE;
        }
        for (int i = 0; i < FROM.length; i++) {
            if (FROM[i] == c) {
                return TO[i];
            }
        }
        return NONE;
    }

    static String fold(String lower) {
        boolean any = false;
        for (int i = 0; i < lower.length() && !any; i++) {
            any = lower.charAt(i) >= 0x250;
        }
        if (!any) {
            return lower;
        }
        StringBuilder out = new StringBuilder(lower.length());
        int start = 0;
        for (int i = 0; i <= lower.length(); i++) {
            if (i == lower.length() || !Character.isLetter(lower.charAt(i))) {
                if (start < i) {
                    foldWord(lower, start, i, out);
                }
                if (i < lower.length()) {
                    out.append(lower.charAt(i));
                }
                start = i + 1;
            }
        }
        return out.toString();
    }

    private static void foldWord(String s, int from, int to, StringBuilder out) {
        boolean latinSeen = false;
        boolean otherSeen = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x250) {
                latinSeen = true;
            } else if (latin(c) == NONE) {
                otherSeen = true;
            }
        }
        // Fold mixed-script words, and words made only of look-alikes ("рау" is "pay" to a reader).
        boolean fold = latinSeen || !otherSeen;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            char l = fold ? latin(c) : NONE;
            out.append(l == NONE ? c : l);
        }
    }
}
