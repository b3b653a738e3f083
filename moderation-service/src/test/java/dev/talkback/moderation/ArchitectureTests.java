package dev.talkback.moderation;

import org.junit.jupiter.api.Test;

import dev.talkback.testsupport.Architecture;

/** The module's packages keep their boundaries ({@link Architecture}). */
class ArchitectureTests {

    @Test
    void packagesKeepTheirBoundaries() {
        Architecture.verify("dev.talkback.moderation");
    }
}
