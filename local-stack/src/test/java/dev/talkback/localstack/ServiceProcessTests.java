package dev.talkback.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessTests {

    @TempDir
    Path tmp;

    private ServiceProcess.Builder standIn(String... args) {
        return ServiceProcess.builder("stand-in")
                .mainClass(StandInService.class.getName(), TestSupport.testClassesDir())
                .jvmArgs("-Xmx32m")
                .args(args)
                .logFile(tmp.resolve("logs").resolve("stand-in.log"));
    }

    @Test
    void startsAJvmWaitsForReadinessAndStopsItWithItsShutdownHooks() throws Exception {
        int port = TestSupport.freePort();
        int managementPort = TestSupport.freePort();
        ServiceProcess process = standIn(
                        "--server.port=" + port, "--management.server.port=" + managementPort, "--greeting=hello world")
                .start();
        try {
            process.awaitHttpReady(
                    URI.create("http://localhost:" + managementPort + "/actuator/health/readiness"),
                    Duration.ofSeconds(30));
            assertThat(process.isAlive()).isTrue();
            assertThat(process.pid()).isPositive();
        } finally {
            assertThat(process.stop(Duration.ofSeconds(10)))
                    .as("stopped without being killed")
                    .isTrue();
        }
        assertThat(process.isAlive()).isFalse();
        assertThat(Files.readString(process.logFile()))
                .contains("arg --greeting=hello world")
                .contains("stand-in stopped cleanly");
    }

    @Test
    void reportsTheEndOfTheLogWhenTheProcessDiesBeforeItIsReady() throws Exception {
        ServiceProcess process = standIn("--fail").start();
        assertThatThrownBy(() -> process.awaitHttpReady(URI.create("http://localhost:1/never"), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("failing on purpose");
    }

    @Test
    void killEndsTheProcessAtOnce() throws Exception {
        ServiceProcess process = standIn("--server.port=0").start();
        process.kill();
        assertThat(process.isAlive()).isFalse();
        assertThat(Files.readString(process.logFile())).doesNotContain("stopped cleanly");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void ignoresCtrlCSoThatTheParentDecidesTheOrderOfShutdown() throws Exception {
        ServiceProcess process = standIn("--server.port=0").start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.readString(process.logFile()).contains("listening"));
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
            assertThat(kill.waitFor()).isZero();
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(process::isAlive);
        } finally {
            assertThat(process.stop(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void refusesAMissingJar() {
        assertThatThrownBy(() -> ServiceProcess.builder("missing")
                        .jar(tmp.resolve("nope.jar"))
                        .logFile(tmp.resolve("missing.log"))
                        .start())
                .hasMessageContaining("no such jar");
    }

    @Test
    void buildsTheCommandLineForAJar() {
        assertThat(ServiceProcess.builder("svc")
                        .jar(Path.of("svc-exec.jar"))
                        .javaExecutable("java")
                        .jvmArgs("-Xmx256m")
                        .args("--server.port=8080")
                        .command())
                .containsExactly("java", "-Xmx256m", "-jar", "svc-exec.jar", "--server.port=8080");
        assertThat(ServiceProcess.builder("main")
                        .mainClass("a.Main", "x.jar" + File.pathSeparator + "y.jar")
                        .javaExecutable("java")
                        .command())
                .containsExactly("java", "-cp", "x.jar" + File.pathSeparator + "y.jar", "a.Main");
    }

    @Test
    void aBootJarStartsFromItsClassDataSharingFormOnlyWhenTheArchiveIsUpToDate() throws Exception {
        Path jar = Files.writeString(tmp.resolve("svc-exec.jar"), "jar");
        assertThat(ServiceProcess.builder("svc")
                        .bootJar(jar)
                        .javaExecutable("java")
                        .command())
                .containsExactly("java", "-jar", jar.toString());

        Path cds = Files.createDirectories(tmp.resolve("cds"));
        Files.writeString(cds.resolve("svc-exec.jar"), "extracted");
        Path archive = Files.writeString(cds.resolve("app.jsa"), "archive");
        assertThat(ServiceProcess.builder("svc")
                        .bootJar(jar)
                        .javaExecutable("java")
                        .command())
                .containsExactly(
                        "java",
                        "-XX:SharedArchiveFile=" + archive.toAbsolutePath(),
                        "-jar",
                        cds.resolve("svc-exec.jar").toAbsolutePath().toString());

        // the jar was rebuilt after the archive: the archive would not match it
        assertThat(jar.toFile().setLastModified(archive.toFile().lastModified() + 10_000))
                .isTrue();
        assertThat(ServiceProcess.builder("svc")
                        .bootJar(jar)
                        .javaExecutable("java")
                        .command())
                .containsExactly("java", "-jar", jar.toString());
    }

    @Test
    void secretsGivenAsEnvironmentStayOffTheCommandLine() {
        ServiceProcess.Builder builder = ServiceProcess.builder("svc")
                .jar(Path.of("svc-exec.jar"))
                .javaExecutable("java")
                .environment(java.util.Map.of("SVC_SECURITY_KEY", "s3cr3t-key"));

        assertThat(builder.environment()).containsEntry("SVC_SECURITY_KEY", "s3cr3t-key");
        assertThat(String.join(" ", builder.command())).doesNotContain("s3cr3t-key");
    }
}
