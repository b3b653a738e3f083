package dev.talkback.systemtests;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/**
 * Headless Chromium for the browser tests: Debian's {@code chromium} and {@code chromium-driver} (or the paths in
 * {@code CHROME_BIN} and {@code CHROMEDRIVER}). The driver is named explicitly, so Selenium never tries to download
 * one. Without them the tests are skipped, with a message saying what to install.
 */
final class Browsers {

    private static final Path CHROMIUM = Path.of(env("CHROME_BIN", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(env("CHROMEDRIVER", "/usr/bin/chromedriver"));

    private Browsers() {}

    static void assumeInstalled() {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Browser tests skipped: no headless Chromium here (" + CHROMIUM + ", " + CHROMEDRIVER
                        + "); install Debian's chromium and chromium-driver, or set CHROME_BIN and CHROMEDRIVER");
    }

    /** A new browser with a profile of its own: its own localStorage, as a different reader. */
    static ChromeDriver start() {
        Path profile;
        try {
            profile = Files.createTempDirectory("talkback-chromium-");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(List.of(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-quic",
                "--no-first-run",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,1600",
                "--user-data-dir=" + profile));
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
