package dev.talkback.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TextFingerprintTests {

    private final Random random = new Random(20261129);

    @Test
    void everyFingerprintWithinSevenBitsIsFoundByTheBandProbes() {
        for (int pair = 0; pair < 20_000; pair++) {
            long simHash = random.nextLong();
            long other = simHash;
            int distance = random.nextInt(8); // 0..7, the engine's largest setting
            while (Long.bitCount(simHash ^ other) < distance) {
                other ^= 1L << random.nextInt(64);
            }
            assertThat(shares(fingerprint(simHash), fingerprint(other)))
                    .as("%016x and %016x, %d bits apart", simHash, other, distance)
                    .isTrue();
        }
    }

    @Test
    void unrelatedFingerprintsAreRarelyCandidates() {
        int candidates = 0;
        int pairs = 100_000;
        for (int pair = 0; pair < pairs; pair++) {
            if (shares(fingerprint(random.nextLong()), fingerprint(random.nextLong()))) {
                candidates++;
            }
        }
        // 4 bands × 17 probes of 2^16 values: about 0.1 %; the earlier 8-bit bands let 3 % through
        assertThat(candidates).isBetween(50, 200);
    }

    @Test
    void commentsStoredWithTheEarlierEightBitBandsAreStillFound() {
        long simHash = random.nextLong();
        long near = simHash ^ (1L << 3) ^ (1L << 20) ^ (1L << 41); // 3 bits apart
        List<Long> storedBefore = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            storedBefore.add(((long) i << 8) | ((near >>> (8 * i)) & 0xFF));
        }

        assertThat(fingerprint(simHash).probeBands()).containsAnyElementsOf(storedBefore);
        assertThat(fingerprint(near).bands()).doesNotContainAnyElementsOf(storedBefore); // the two kinds never mix
    }

    private static boolean shares(TextFingerprint probe, TextFingerprint stored) {
        Set<Long> probes = new HashSet<>(probe.probeBands());
        return stored.bands().stream().anyMatch(probes::contains);
    }

    private static TextFingerprint fingerprint(long simHash) {
        return new TextFingerprint(0, simHash, 10);
    }
}
