package dev.talkback.engine;

import java.util.ArrayList;
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

    private static final int BANDS = 4;
    private static final int BAND_BITS = 16;
    private static final long BAND_MASK = (1L << BAND_BITS) - 1;

    /**
     * The fingerprint of a raw comment text, normalised as the engine normalises a submission (markup, Unicode tricks,
     * case): for whoever needs the engine's notion of "the same text" outside a decision, such as a check of
     * generated load-test texts.
     */
    public static TextFingerprint of(String text) {
        return of(NormalizedText.of(text));
    }

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
     * The four 16-bit bands of the SimHash, each tagged with its position ({@code (8 + index) << 16 | bits}): what to
     * store and index. Two fingerprints within 7 bits of each other differ in at most one bit of one of their bands
     * (were each band 2 bits apart, they would be 8 apart), so {@link #probeBands()} finds every such pair.
     */
    public List<Long> bands() {
        Long[] bands = new Long[BANDS];
        for (int i = 0; i < BANDS; i++) {
            bands[i] = band(i, (simHash >>> (BAND_BITS * i)) & BAND_MASK);
        }
        return List.of(bands);
    }

    /**
     * What to look stored {@link #bands()} up with: each band as it is and with each one of its bits flipped, so a
     * random other text matches one by chance once in about a thousand (the earlier eight 8-bit bands, matched
     * exactly, let 3 % through, and each candidate is a document to read). Also the eight 8-bit bands that comments
     * stored by earlier versions carry (tagged {@code index << 8 | bits}, below every 16-bit tag), so that they are
     * found until they leave the duplicate window.
     */
    public List<Long> probeBands() {
        List<Long> probes = new ArrayList<>(BANDS * (BAND_BITS + 1) + 8);
        for (int i = 0; i < BANDS; i++) {
            long bits = (simHash >>> (BAND_BITS * i)) & BAND_MASK;
            probes.add(band(i, bits));
            for (int flip = 0; flip < BAND_BITS; flip++) {
                probes.add(band(i, bits ^ (1L << flip)));
            }
        }
        for (int i = 0; i < 8; i++) {
            probes.add(((long) i << 8) | ((simHash >>> (8 * i)) & 0xFF));
        }
        return probes;
    }

    private static long band(int index, long bits) {
        return ((long) (8 + index) << BAND_BITS) | bits;
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
