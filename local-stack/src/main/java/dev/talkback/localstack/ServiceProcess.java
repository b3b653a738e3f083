package dev.talkback.localstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * A Java program running as its own JVM process, with its output in a log file.
 *
 * <p>Knows nothing about ports or about Talkback: the local stack uses it for the Kafka broker and the three services,
 * and the system tests may use it the same way. Typical use:
 *
 * <pre>{@code
 * ServiceProcess comments = ServiceProcess.builder("comment-service")
 *         .jar(Path.of("comment-service/target/comment-service-0.1.0-SNAPSHOT-exec.jar"))
 *         .jvmArgs("-Xmx256m")
 *         .args("--server.port=8080", "--management.server.port=9080", "--spring.kafka.bootstrap-servers=localhost:9092")
 *         .logFile(Path.of("target/comment-service.log"))
 *         .start();
 * comments.awaitHttpReady(URI.create("http://localhost:9080/actuator/health/readiness"), Duration.ofMinutes(2));
 * ...
 * comments.stop(Duration.ofSeconds(20)); // SIGTERM, wait, then force
 * }</pre>
 *
 * <p>On POSIX systems the child is started with SIGINT ignored (through {@code /bin/sh -c 'trap "" INT; exec …'}), so
 * that a Ctrl-C in the terminal reaches only the parent, which then stops its children in the order it chooses
 * with SIGTERM. Switch this off with {@link Builder#ignoreConsoleInterrupt(boolean)}.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase().startsWith("windows");

    private final String name;
    private final Process process;
    private final Path logFile;

    private ServiceProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts describing a process; {@code name} is only used in messages. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The name given to {@link #builder(String)}. */
    public String name() {
        return name;
    }

    /** The operating-system process id of the JVM. */
    public long pid() {
        return process.pid();
    }

    /** The file that receives the process's stdout and stderr. */
    public Path logFile() {
        return logFile;
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The underlying process, e.g. for {@link Process#onExit()}. */
    public Process process() {
        return process;
    }

    /**
     * Waits until {@code url} answers HTTP 200 (e.g. a Spring Boot {@code /actuator/health/readiness}).
     *
     * @throws IllegalStateException if the process exits first; the message holds the end of its log
     * @throws TimeoutException if it is not ready within {@code timeout}
     */
    public void awaitHttpReady(URI url, Duration timeout) throws TimeoutException, InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request =
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
        awaitReady(
                () -> {
                    try {
                        return client.send(request, HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException ex) {
                        return false;
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                },
                timeout);
    }

    /**
     * Polls {@code ready} every 250 ms until it answers true.
     *
     * @throws IllegalStateException if the process exits first; the message holds the end of its log
     * @throws TimeoutException if it is not ready within {@code timeout}
     */
    public void awaitReady(BooleanSupplier ready, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready; end of " + logFile + ":\n" + tailOfLog(40));
            }
            if (ready.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(
                        name + " was not ready within " + timeout + "; end of " + logFile + ":\n" + tailOfLog(40));
            }
            Thread.sleep(250);
        }
    }

    /**
     * Asks the process to stop (SIGTERM on POSIX, so JVM shutdown hooks run) and waits up to {@code grace};
     * then kills it.
     *
     * @return true if it exited by itself within {@code grace}, false if it had to be killed
     */
    public boolean stop(Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        kill();
        return false;
    }

    /** Kills the process at once (SIGKILL on POSIX) and waits for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #stop(Duration) Stops} with a grace period of 30 seconds. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    /** The last {@code lines} lines of the log file, or a note if it cannot be read. */
    public String tailOfLog(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException ex) {
            return "(log not readable: " + ex.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", log " + logFile + ")";
    }

    /** Describes the process to start: either {@link #jar(Path)} or {@link #mainClass(String, String)}. */
    public static final class Builder {

        private final String name;
        private Path jar;
        private String mainClass;
        private String classpath;
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path logFile;
        private Path workingDirectory;
        private String javaExecutable = Path.of(System.getProperty("java.home"), "bin", WINDOWS ? "java.exe" : "java")
                .toString();
        private boolean ignoreConsoleInterrupt = true;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name);
        }

        /**
         * Runs a Spring Boot exec jar: from its class-data-sharing form when the build made one up to date next to it
         * ({@code cds/<the jar's name>} with its {@code lib/}, and the archive {@code cds/app.jsa}), which starts in
         * about half the time; else {@code java -jar <execJar>}.
         */
        public Builder bootJar(Path execJar) {
            Path cds = execJar.toAbsolutePath().resolveSibling("cds");
            Path extracted = cds.resolve(execJar.getFileName());
            Path archive = cds.resolve("app.jsa");
            if (Files.isRegularFile(extracted)
                    && Files.isRegularFile(archive)
                    && archive.toFile().lastModified() >= execJar.toFile().lastModified()) {
                jvmArgs("-XX:SharedArchiveFile=" + archive);
                return jar(extracted);
            }
            return jar(execJar);
        }

        /** Runs {@code java -jar <jar>}. */
        public Builder jar(Path jar) {
            this.jar = jar;
            this.mainClass = null;
            return this;
        }

        /** Runs {@code java -cp <classpath> <mainClass>}; {@code classpath} uses the platform's path separator. */
        public Builder mainClass(String mainClass, String classpath) {
            this.mainClass = mainClass;
            this.classpath = classpath;
            this.jar = null;
            return this;
        }

        /** JVM options such as {@code -Xmx256m} or {@code -Dkey=value}, placed before the jar or main class. */
        public Builder jvmArgs(String... jvmArgs) {
            this.jvmArgs.addAll(List.of(jvmArgs));
            return this;
        }

        /** JVM options such as {@code -Xmx256m} or {@code -Dkey=value}, placed before the jar or main class. */
        public Builder jvmArgs(List<String> jvmArgs) {
            this.jvmArgs.addAll(jvmArgs);
            return this;
        }

        /** Program arguments, e.g. {@code --server.port=8080}. */
        public Builder args(String... args) {
            this.args.addAll(List.of(args));
            return this;
        }

        /** Program arguments, e.g. {@code --server.port=8080}. */
        public Builder args(List<String> args) {
            this.args.addAll(args);
            return this;
        }

        /** An environment variable for the child (the parent's environment is inherited). */
        public Builder environment(String key, String value) {
            this.environment.put(key, value);
            return this;
        }

        /**
         * Environment variables for the child (the parent's environment is inherited). The place for secrets: a
         * process's command line is visible to every user of the machine ({@code ps}), its environment is not.
         */
        public Builder environment(Map<String, String> environment) {
            this.environment.putAll(environment);
            return this;
        }

        /** The environment variables set with {@link #environment(String, String)}, beyond the inherited ones. */
        public Map<String, String> environment() {
            return Map.copyOf(environment);
        }

        /** The file for stdout and stderr (created with its folder, truncated); required. */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        /** The working directory; defaults to the parent's. */
        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = workingDirectory;
            return this;
        }

        /** The {@code java} executable; defaults to the one running this code. */
        public Builder javaExecutable(String javaExecutable) {
            this.javaExecutable = javaExecutable;
            return this;
        }

        /**
         * Whether the child ignores SIGINT so that Ctrl-C in the terminal reaches only the parent (default true;
         * no effect on Windows). The child still stops on {@link ServiceProcess#stop(Duration)}.
         */
        public Builder ignoreConsoleInterrupt(boolean ignoreConsoleInterrupt) {
            this.ignoreConsoleInterrupt = ignoreConsoleInterrupt;
            return this;
        }

        /** The command line that {@link #start()} runs, without the SIGINT wrapper. */
        public List<String> command() {
            if ((jar == null) == (mainClass == null)) {
                throw new IllegalStateException(name + ": set either jar(...) or mainClass(...)");
            }
            List<String> command = new ArrayList<>();
            command.add(javaExecutable);
            command.addAll(jvmArgs);
            if (jar != null) {
                command.add("-jar");
                command.add(jar.toString());
            } else {
                command.add("-cp");
                command.add(classpath);
                command.add(mainClass);
            }
            command.addAll(args);
            return command;
        }

        /** Starts the process; returns as soon as it runs (use the {@code await…} methods to wait for readiness). */
        public ServiceProcess start() throws IOException {
            Objects.requireNonNull(logFile, "logFile");
            if (jar != null && !Files.isRegularFile(jar)) {
                throw new IOException(name + ": no such jar " + jar);
            }
            List<String> command = command();
            if (ignoreConsoleInterrupt && !WINDOWS && new File("/bin/sh").canExecute()) {
                // "trap '' INT" leaves SIGINT ignored across exec; the JVM then keeps it ignored (as under nohup).
                List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", "trap '' INT; exec \"$@\"", "sh"));
                wrapped.addAll(command);
                command = wrapped;
            }
            Path parent = logFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            // glibc's malloc arenas per thread add tens of MB to a JVM's resident size; a caller may set another
            builder.environment().put("MALLOC_ARENA_MAX", "2");
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            return new ServiceProcess(name, process, logFile);
        }
    }
}
