package dev.talkback.engine;

import java.util.Arrays;
import java.util.List;

/**
 * Turns a comment into a sparse, L2-normalised vector of hashed features for the spam model: words and word pairs
 * of the normalised text (l33t, spelled-out words and look-alike letters already undone by {@link NormalizedText}),
 * the hosts and top-level domains of links, and a few shape features that spam has and conversation rarely has
 * (links at all, capitals, length, long digit runs, exclamation marks). Hashing keeps the model a fixed size
 * whatever the vocabulary.
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
    private static final java.util.regex.Pattern TIMESTAMP = java.util.regex.Pattern.compile("[?&#]t=\\d+m?\\d*s?\\b");

    /** A sparse vector: sorted distinct indices and their values. */
    record Vector(int[] indices, float[] values) {
    }

    private SpamFeatures() {
    }

    /** Scratch space per thread for scoring without sorting: raw indices, and counts by index. */
    private static final class Scratch {
        int[] buffer = new int[4096];
        final byte[] counts = new byte[DIMENSIONS];
        int[] touched = new int[4096];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final float[] LOG_TF = new float[128];

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
        int[] buffer = new int[capacity(text)];
        return toVector(buffer, collect(text, buffer));
    }

    /**
     * The dot product of the text's vector with {@code weights}, without building the vector: counting into a dense
     * per-thread array is several times faster than sorting, and scoring is what runs on every comment.
     */
    static double dot(NormalizedText text, float[] weights) {
        Scratch scratch = SCRATCH.get();
        int capacity = capacity(text);
        if (scratch.buffer.length < capacity) {
            scratch.buffer = new int[capacity];
            scratch.touched = new int[capacity];
        }
        int size = collect(text, scratch.buffer);
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
        return norm == 0 ? 0 : dot / Math.sqrt(norm);
    }

    private static int capacity(NormalizedText text) {
        return 2 * text.proseWords().size() + 4 * text.links().size() + 16;
    }

    private static int collect(NormalizedText text, int[] buffer) {
        String s = text.prose();
        int n = Math.min(s.length(), MAX_CHARS);
        List<String> words = text.proseWords();
        int size = 0;
        int previous = 0;
        for (String word : words) {
            int w = mix(word.hashCode() * 31 + 0x5bd1e995);
            buffer[size++] = w;
            if (previous != 0) {
                buffer[size++] = mix(previous * 17 + w);
            }
            previous = w;
        }
        int links = text.links().size();
        for (NormalizedText.Link link : text.links()) {
            if (TIMESTAMP.matcher(link.url()).find()) {
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
