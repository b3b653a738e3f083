package dev.talkback.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a comment into a sparse vector of hashed features for the spam model: words, their six-letter stems and word
 * pairs of the normalised text (l33t, spelled-out words and look-alike letters already undone by
 * {@link NormalizedText}) and the comment's first word and pair, L2-normalised together; and signals with a fixed
 * value each ({@link #SIGNAL}) whatever the comment's length: whether it asks the reader to act for the writer, the
 * hosts and top-level domains of links, and a few shape features that spam has and conversation rarely has (links at
 * all, capitals, length, long digit runs, exclamation marks). Hashing keeps the model a fixed size whatever the
 * vocabulary.
 *
 * <p>There are no character n-grams: they were tried (3- to 5-grams) and made the model worse on pages it was not
 * trained on (MCC 0.54-0.66 instead of 0.71 trained on one YouTube page and tested on another), because they learn
 * the spelling habits of the pages they saw rather than what spam says.
 */
final class SpamFeatures {

    static final int BITS = 20;
    static final int DIMENSIONS = 1 << BITS;
    private static final int MASK = DIMENSIONS - 1;
    private static final int MAX_CHARS = 2_000;

    /** Bits of the feature groups that can be switched off ({@link SpamModel.Feature}); words are always on. */
    static final int STEMS = 1;

    static final int WORD_PAIRS = 1 << 1;
    static final int FIRST_WORDS = 1 << 2;
    static final int REQUEST_SIGNAL = 1 << 3;
    static final int LINK_SIGNALS = 1 << 4;
    static final int SHAPE_SIGNALS = 1 << 5;
    static final int ALL = (1 << 6) - 1;

    /** A sparse vector: sorted distinct indices and their values. */
    record Vector(int[] indices, float[] values) {}

    private SpamFeatures() {}

    /** Scratch space per thread for scoring without sorting: raw indices, and counts by index. */
    private static final class Scratch {
        int[] buffer = new int[4096];
        final byte[] counts = new byte[DIMENSIONS];
        int[] touched = new int[4096];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final float[] LOG_TF = new float[128];

    /** Marks a word or word pair as the first of the comment: "check out ..." opens spam, "... to check" does not. */
    private static final int START = 0x2f6b1d3;
    /**
     * Longer words also count by their first six letters, a crude stem: "subscribe", "subscribed", "subscribers" and
     * "subscribing" share one feature, so that what a page teaches about one form counts for the others.
     */
    static final int STEM = 6;
    /** One shared feature for a request to the reader, whatever the words (see {@link #asksTheReader}). */
    private static final int REQUEST = mix("request".hashCode());
    /**
     * Value of each signal feature (links, hosts, shape, requests) in the vector, next to the words and word pairs,
     * which are L2-normalised together to length 1: a fixed value, so that one link or one request weighs the same
     * in a long comment as in a short one instead of being diluted by the words around it.
     */
    static final float SIGNAL = 0.5f;
    /** Words that open a request but do not carry it: "please subscribe", "guys check out ...". */
    private static final Set<String> OPENERS =
            Set.of("please", "pls", "plz", "plse", "pleas", "and", "so", "guys", "hey", "hi", "now");
    /**
     * Verbs that, opening a sentence, ask the reader to go somewhere or act for the writer. Civic imperatives ("vote",
     * "support", "share", "follow") are left out on purpose: in a newsroom's comments they are conversation.
     */
    private static final Set<String> REQUEST_VERBS = Set.of(
            "check", "subscribe", "sub", "visit", "click", "join", "download", "register", "earn", "win", "text");
    /** The longest of {@link #OPENERS} and {@link #REQUEST_VERBS}: longer words are neither, without a copy. */
    private static final int LONGEST_REQUEST_WORD = 9;
    /** Verbs that, followed by "my ..." or "this comment", ask for attention to the writer's own things. */
    private static final Set<String> PROMOTING_VERBS = Set.of(
            "like",
            "likes",
            "check",
            "subscribe",
            "sub",
            "share",
            "visit",
            "follow",
            "watch",
            "view",
            "listen",
            "support",
            "up",
            "hear",
            "see");

    private static final int[] LINKS = hashes("links:", 4);
    private static final int[] CAPS = hashes("caps:", 5);
    private static final int[] LENGTH = hashes("len:", 33);
    private static final int[] BANGS = hashes("bangs:", 4);

    private static int[] hashes(String prefix, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = mix((prefix + i).hashCode());
        }
        return out;
    }

    static {
        for (int i = 1; i < LOG_TF.length; i++) {
            LOG_TF[i] = (float) (1 + Math.log(i));
        }
    }

    /** The sparse vector, sorted: for training, where each example is used many times. */
    static Vector of(NormalizedText text) {
        return of(text, ALL);
    }

    /** The sparse vector of the given feature groups ({@link #ALL} or some of its bits). */
    static Vector of(NormalizedText text, int groups) {
        int[] buffer = new int[capacity(text)];
        int words = collectWords(text, buffer, groups);
        int size = collectSignals(text, buffer, words, groups);
        Vector normalised = toVector(Arrays.copyOf(buffer, words), words);
        // Merge the signals (fixed value each) into the normalised words; a collision adds up, as it does in dot().
        TreeMap<Integer, Float> all = new TreeMap<>();
        for (int i = 0; i < normalised.indices().length; i++) {
            all.put(normalised.indices()[i], normalised.values()[i]);
        }
        for (int i = words; i < size; i++) {
            all.merge(buffer[i] & MASK, SIGNAL, Float::sum);
        }
        int[] indices = new int[all.size()];
        float[] values = new float[all.size()];
        int k = 0;
        for (Map.Entry<Integer, Float> e : all.entrySet()) {
            indices[k] = e.getKey();
            values[k++] = e.getValue();
        }
        return new Vector(indices, values);
    }

    /**
     * The dot product of the text's vector with {@code weights}, without building the vector: counting into a dense
     * per-thread array is several times faster than sorting, and scoring is what runs on every comment.
     */
    static double dot(NormalizedText text, float[] weights) {
        return dot(text, weights, ALL);
    }

    /** {@link #dot(NormalizedText, float[])} over the given feature groups. */
    static double dot(NormalizedText text, float[] weights, int groups) {
        Scratch scratch = SCRATCH.get();
        int capacity = capacity(text);
        if (scratch.buffer.length < capacity) {
            scratch.buffer = new int[capacity];
            scratch.touched = new int[capacity];
        }
        int size = collectWords(text, scratch.buffer, groups);
        int signals = collectSignals(text, scratch.buffer, size, groups);
        double signal = 0;
        for (int i = size; i < signals; i++) {
            signal += weights[scratch.buffer[i] & MASK] * SIGNAL;
        }
        byte[] counts = scratch.counts;
        int[] touched = scratch.touched;
        int distinct = 0;
        for (int i = 0; i < size; i++) {
            int index = scratch.buffer[i] & MASK;
            if (counts[index] == 0) {
                touched[distinct++] = index;
            }
            if (counts[index] < LOG_TF.length - 1) {
                counts[index]++;
            }
        }
        double norm = 0;
        double dot = 0;
        for (int i = 0; i < distinct; i++) {
            int index = touched[i];
            float value = LOG_TF[counts[index]];
            counts[index] = 0;
            norm += value * value;
            dot += weights[index] * value;
        }
        return signal + (norm == 0 ? 0 : dot / Math.sqrt(norm));
    }

    private static int capacity(NormalizedText text) {
        return 3 * text.proseWords().size() + 4 * text.links().size() + 20;
    }

    /** The hash of the word's first {@link #STEM} characters as {@code String.hashCode} gives it, without a copy. */
    private static int prefixHash(String word) {
        int h = 0;
        for (int i = 0; i < STEM; i++) {
            h = 31 * h + word.charAt(i);
        }
        return h;
    }

    /** Words, their stems, word pairs, and the first word and pair of the comment. */
    private static int collectWords(NormalizedText text, int[] buffer, int groups) {
        List<String> words = text.proseWords();
        int size = 0;
        int previous = 0;
        int position = 0;
        boolean firstWords = (groups & FIRST_WORDS) != 0;
        for (String word : words) {
            int w = mix(word.hashCode() * 31 + 0x5bd1e995);
            buffer[size++] = w;
            if (word.length() > STEM && (groups & STEMS) != 0) {
                buffer[size++] = mix(prefixHash(word) * 7 + 0x1b873593);
            }
            if (previous != 0 && (groups & WORD_PAIRS) != 0) {
                buffer[size++] = mix(previous * 17 + w);
            }
            if (firstWords && position == 0) {
                buffer[size++] = mix(w * 13 + START);
            } else if (firstWords && position == 1) {
                buffer[size++] = mix((previous * 17 + w) * 13 + START);
            }
            position++;
            previous = w;
        }
        return size;
    }

    /** Links, shape and requests: the signals that weigh the same whatever the comment's length. */
    private static int collectSignals(NormalizedText text, int[] buffer, int from, int groups) {
        String s = text.prose();
        int n = Math.min(s.length(), MAX_CHARS);
        int size = from;
        if ((groups & REQUEST_SIGNAL) != 0 && asksTheReader(s, n, text.proseWords())) {
            buffer[size++] = REQUEST;
        }
        if ((groups & LINK_SIGNALS) != 0) {
            size = collectLinks(text, buffer, size);
        }
        if ((groups & SHAPE_SIGNALS) == 0) {
            return size;
        }
        if (text.letterCount() >= 8) {
            buffer[size++] = CAPS[(int) (text.capitalShare() * 4)];
        }
        buffer[size++] = LENGTH[32 - Integer.numberOfLeadingZeros(n)];
        if (hasDigitRun(s, n, 5)) {
            buffer[size++] = mix("digits".hashCode());
        }
        int bangs = 0;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) == '!') {
                bangs++;
            }
        }
        buffer[size++] = BANGS[Math.min(bangs, 3)];
        return size;
    }

    /** Each link's host, top-level domain and whether it has a path; the number of links. */
    private static int collectLinks(NormalizedText text, int[] buffer, int from) {
        int size = from;
        int links = text.links().size();
        for (NormalizedText.Link link : text.links()) {
            if (hasTimestamp(link.url())) {
                // A link to a moment of the video or page being discussed is conversation, not promotion.
                links--;
                buffer[size++] = mix("timestamp-link".hashCode());
                continue;
            }
            buffer[size++] = mix(("host:" + link.host()).hashCode());
            int dot = link.host().lastIndexOf('.');
            buffer[size++] = mix(("tld:" + (dot < 0 ? link.host() : link.host().substring(dot + 1))).hashCode());
            buffer[size++] = mix(link.url().indexOf('/', 8) > 0 ? 0x1111 : 0x2222);
        }
        buffer[size++] = LINKS[Math.max(0, Math.min(links, 3))];
        return size;
    }

    /**
     * Whether the comment asks the reader to act for the writer, what spammers do whatever they promote: a sentence
     * that opens (after an optional "please") with a verb like "check", "subscribe" or "visit", or a verb like
     * "like", "share" or "subscribe" aimed at the writer's own things ("... my channel", "... this comment"). One
     * shared feature, so that what the training pages teach about "subscribe to my channel" carries over to the
     * requests they never saw.
     */
    static boolean asksTheReader(NormalizedText text) {
        return asksTheReader(text.prose(), Math.min(text.prose().length(), MAX_CHARS), text.proseWords());
    }

    private static boolean asksTheReader(String s, int n, List<String> words) {
        for (int i = 0; i + 1 < words.size(); i++) {
            if (PROMOTING_VERBS.contains(words.get(i))) {
                String next = words.get(i + 1);
                if (next.equals("my")
                        || next.equals("our")
                        || next.equals("this")
                                && i + 2 < words.size()
                                && words.get(i + 2).equals("comment")) {
                    return true;
                }
            }
        }
        boolean sentenceStart = true;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isLetter(c)) {
                int end = i + 1;
                while (end < n && Character.isLetter(s.charAt(end))) {
                    end++;
                }
                if (sentenceStart && end - i > LONGEST_REQUEST_WORD) {
                    sentenceStart = false;
                } else if (sentenceStart) {
                    String word = s.substring(i, end);
                    if (REQUEST_VERBS.contains(word)) {
                        return true;
                    }
                    sentenceStart = OPENERS.contains(word);
                }
                i = end - 1;
            } else if (c == '.' || c == '!' || c == '?' || c == '\n') {
                sentenceStart = true;
            }
        }
        return false;
    }

    /**
     * Whether the link points at a moment ({@code ?t=90}, {@code &t=1m30s}, {@code #t=42s}): what
     * {@code [?&#]t=\d+m?\d*s?\b} found, scanned by hand, since that expression backtracked quadratically on a long
     * run of digits that does not end at a word boundary.
     */
    static boolean hasTimestamp(String url) {
        int n = url.length();
        for (int i = 0; i + 3 < n; i++) {
            char c = url.charAt(i);
            if ((c != '?' && c != '&' && c != '#') || url.charAt(i + 1) != 't' || url.charAt(i + 2) != '=') {
                continue;
            }
            int j = skipDigits(url, i + 3);
            if (j == i + 3) {
                continue;
            }
            if (endsWord(url, j) || url.charAt(j) == 's' && endsWord(url, j + 1)) {
                return true;
            }
            if (url.charAt(j) == 'm') {
                int k = skipDigits(url, j + 1);
                if (endsWord(url, k) || k < n && url.charAt(k) == 's' && endsWord(url, k + 1)) {
                    return true;
                }
            }
            // the digits scanned cannot start another match
            i = j - 1;
        }
        return false;
    }

    private static int skipDigits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** Whether {@code \b} holds after a word character at {@code i}: the end, or a character that is not a word's. */
    private static boolean endsWord(String s, int i) {
        if (i >= s.length()) {
            return true;
        }
        char c = s.charAt(i);
        return !Character.isLetterOrDigit(c) && c != '_' && Character.getType(c) != Character.NON_SPACING_MARK;
    }

    private static boolean hasDigitRun(String s, int n, int length) {
        int run = 0;
        for (int i = 0; i < n; i++) {
            run = Character.isDigit(s.charAt(i)) ? run + 1 : 0;
            if (run >= length) {
                return true;
            }
        }
        return false;
    }

    private static Vector toVector(int[] buffer, int size) {
        for (int i = 0; i < size; i++) {
            buffer[i] &= MASK;
        }
        Arrays.sort(buffer, 0, size);
        int[] indices = new int[size];
        float[] values = new float[size];
        int distinct = 0;
        for (int i = 0; i < size; i++) {
            if (distinct > 0 && indices[distinct - 1] == buffer[i]) {
                values[distinct - 1]++;
            } else {
                indices[distinct] = buffer[i];
                values[distinct] = 1;
                distinct++;
            }
        }
        double norm = 0;
        for (int i = 0; i < distinct; i++) {
            // Sub-linear term frequency: a word said ten times is not ten times the evidence.
            values[i] = (float) (1 + Math.log(values[i]));
            norm += values[i] * values[i];
        }
        float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < distinct; i++) {
            values[i] *= scale;
        }
        return new Vector(Arrays.copyOf(indices, distinct), Arrays.copyOf(values, distinct));
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
