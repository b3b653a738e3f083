package dev.talkback.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits normalised text into the words that word lists and the spam model see, undoing simple obfuscation: l33t
 * digits and signs inside words ({@code v1agr@} is {@code viagra}), letters spelled out with separators
 * ({@code v.i.a.g.r.a}, {@code v-i-a-g-r-a}) or spaces ({@code v i a g r a}), and stretched letters
 * ({@code fuuuuck}): a run of three or more of one letter counts as one.
 */
final class Words {

    private Words() {}

    /** Tokens between two looks at the deadline. */
    private static final int CHECK_EVERY = 256;

    static List<String> of(String text) {
        return of(text, Deadline.NONE);
    }

    static List<String> of(String text, Deadline deadline) {
        List<String> words = new ArrayList<>();
        List<String> singles = new ArrayList<>();
        int start = -1;
        int tokens = 0;
        for (int i = 0; i <= text.length(); i++) {
            boolean space =
                    i == text.length() || text.charAt(i) == ' ' || text.charAt(i) == '\n' || text.charAt(i) == '\t';
            if (space) {
                if (start >= 0) {
                    token(text, start, i, words, singles);
                    start = -1;
                    if (++tokens % CHECK_EVERY == 0) {
                        deadline.check("words");
                    }
                }
            } else if (start < 0) {
                start = i;
            }
        }
        flushSingles(words, singles);
        return words;
    }

    private static void token(String text, int from, int to, List<String> words, List<String> singles) {
        boolean hasLetter = false;
        for (int i = from; i < to; i++) {
            if (Character.isLetter(text.charAt(i))) {
                hasLetter = true;
                break;
            }
        }
        StringBuilder mapped = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            mapped.append(hasLetter ? leet(c, text, i, from, to) : c);
        }
        // Split on what is neither letter nor digit; if every part is one character, the word was spelled out.
        List<String> parts = new ArrayList<>();
        int partStart = -1;
        for (int i = 0; i <= mapped.length(); i++) {
            boolean wordChar = i < mapped.length() && Character.isLetterOrDigit(mapped.charAt(i));
            if (wordChar && partStart < 0) {
                partStart = i;
            } else if (!wordChar && partStart >= 0) {
                parts.add(squeeze(mapped, partStart, i));
                partStart = -1;
            }
        }
        if (parts.isEmpty()) {
            return;
        }
        boolean spelledOut = parts.size() >= 3 && parts.stream().allMatch(p -> p.length() == 1);
        if (spelledOut) {
            flushSingles(words, singles);
            words.add(String.join("", parts));
            return;
        }
        if (parts.size() == 1 && parts.get(0).length() == 1) {
            singles.add(parts.get(0));
            words.add(parts.get(0));
            return;
        }
        flushSingles(words, singles);
        words.addAll(parts);
    }

    /** Letters spelled out with spaces: the single letters stay words, and their join is added. */
    private static void flushSingles(List<String> words, List<String> singles) {
        if (singles.size() >= 3) {
            words.add(String.join("", singles));
        }
        singles.clear();
    }

    private static char leet(char c, String text, int i, int from, int to) {
        return switch (c) {
            case '0' -> 'o';
            case '1' -> 'i';
            case '3' -> 'e';
            case '4' -> 'a';
            case '5' -> 's';
            case '7' -> 't';
            case '8' -> 'b';
            case '9' -> 'g';
            case '@' -> 'a';
            case '$' -> 's';
            case '|' -> 'l';
            case '!' -> between(text, i, from, to) ? 'i' : c;
            default -> c;
        };
    }

    private static boolean between(String text, int i, int from, int to) {
        return i > from
                && i + 1 < to
                && Character.isLetter(text.charAt(i - 1))
                && Character.isLetter(text.charAt(i + 1));
    }

    private static String squeeze(CharSequence s, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            int j = i;
            while (j < to && s.charAt(j) == c) {
                j++;
            }
            int run = j - i;
            for (int k = 0; k < (run >= 3 ? 1 : run); k++) {
                out.append(c);
            }
            i = j;
        }
        return out.toString();
    }
}
