package dev.talkback.notification;

import dev.talkback.testsupport.Architecture;
import org.junit.jupiter.api.Test;

/** The module's packages keep their boundaries ({@link Architecture}). */
class ArchitectureTests {

    @Test
    void packagesKeepTheirBoundaries() {
        Architecture.verify("dev.talkback.notification");
    }
}
