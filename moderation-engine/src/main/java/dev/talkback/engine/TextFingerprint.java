package dev.talkback.engine;

import java.util.List;

/**
 * A comment text's fingerprints: an exact hash of its normalised words and a 64-bit SimHash of its word
 * 3-shingles (near-duplicates differ in a few bits). moderation-service stores them with each comment.
 *
 * @param exact   hash of the normalised words; equal for texts that differ only in case, spacing, markup or tricks
 * @param simHash 64-bit SimHash
 * @param words   number of words, since very short texts ("first!") are not treated as duplicates
 */
public record TextFingerprint(long exact, long simHash, int words) {

    static TextFingerprint of(NormalizedText text) {
        List<String> words = text.words();
        long exact = 0xcbf29ce484222325L;
        for (String w : words) {
            for (int i = 0; i < w.length(); i++) {
                exact = (exact ^ w.charAt(i)) * 0x100000001b3L;
            }
            exact = (exact ^ ' ') * 0x100000001b3L;
        }
        int[] counts = new int[64];
        int shingles = Math.max(1, words.size() - 2);
        for (int i = 0; i < shingles; i++) {
            long h = 0x9E3779B97F4A7C15L;
            for (int k = i; k < Math.min(words.size(), i + 3); k++) {
                h = mix(h ^ words.get(k).hashCode());
            }
            for (int b = 0; b < 64; b++) {
                counts[b] += ((h >>> b) & 1) == 1 ? 1 : -1;
            }
        }
        long sim = 0;
        for (int b = 0; b < 64; b++) {
            if (counts[b] > 0) {
                sim |= 1L << b;
            }
        }
        return new TextFingerprint(exact, sim, words.size());
    }

    /**
     * The eight 8-bit bands of the SimHash, each tagged with its position ({@code index << 8 | bits}): what to index
     * and query on. Two fingerprints within 7 bits of each other share at least one band.
     */
    public List<Long> bands() {
        Long[] bands = new Long[8];
        for (int i = 0; i < 8; i++) {
            bands[i] = ((long) i << 8) | ((simHash >>> (8 * i)) & 0xFF);
        }
        return List.of(bands);
    }

    public int distanceTo(TextFingerprint other) {
        return Long.bitCount(simHash ^ other.simHash);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
