package dev.talkback.localstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Ports and classpaths for tests that start processes. */
final class TestSupport {

    private TestSupport() {}

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The module's runtime classpath (written by the build) plus its classes: what the launcher runs Kafka with. */
    static String runtimeClasspath() {
        try {
            String dependencies = Files.readString(
                            Path.of(required("local-stack.classpath-file")), StandardCharsets.UTF_8)
                    .trim();
            return required("local-stack.classes-dir") + File.pathSeparator + dependencies;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static String testClassesDir() {
        return required("local-stack.test-classes-dir");
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("System property " + property + " is set by the Maven build (surefire)");
        }
        return value;
    }
}
