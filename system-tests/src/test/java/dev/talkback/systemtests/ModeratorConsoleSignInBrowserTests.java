package dev.talkback.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.talkback.localstack.ServiceProcess;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The moderator console's production sign-in, in headless Chromium, against a real OpenID Connect provider: Spring
 * Authorization Server, started in this JVM on another origin (127.0.0.1, while the console is on localhost), and a
 * moderation-service configured as in production (its {@code issuer-uri}, the console's client id, no local signing
 * key, no {@code local} profile). The console signs in with the authorization code flow and PKCE (S256) as the public
 * client {@code talkback-console}; the provider's access token carries the roles and this service's audience, as a
 * newsroom's provider would be set up to issue. Skipped when no Chromium is installed.
 */
class ModeratorConsoleSignInBrowserTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration MODERATION = Duration.ofSeconds(60);

    private static final String CLIENT_ID = "talkback-console";
    /** The audience moderation-service requires in every token (ModerationProperties.Security#audience's default). */
    private static final String AUDIENCE = "talkback-moderation";
    /** The provider's users: passwords random per run, as nothing here should look like a credential to reuse. */
    private static final String ALICE = "alice";

    private static final String MALLORY = "mallory";
    /** A moderator whose provider issues access tokens that last {@link #BRIEF_TOKEN}. */
    private static final String BOB = "bob";

    private static final Duration BRIEF_TOKEN = Duration.ofSeconds(20);
    private static final String PASSWORD = RunningSystem.randomKey();

    private static final Pattern JWT = Pattern.compile("eyJ[\\w-]+\\.[\\w-]+\\.[\\w-]*");

    private static RunningSystem system;
    private static ConfigurableApplicationContext identityProvider;
    private static URI issuer;
    private static URI console;
    private static ServiceProcess moderation;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Browsers.assumeInstalled();
        system = RunningSystem.get();
        int providerPort = RunningSystem.freePort();
        int consolePort = RunningSystem.freePort();
        // another site than the console's (not only another port): as a newsroom's identity provider would be
        issuer = URI.create("http://127.0.0.1:" + providerPort);
        console = URI.create("http://localhost:" + consolePort + "/moderate/");
        identityProvider = new SpringApplicationBuilder(IdentityProvider.class)
                .properties(Map.of(
                        "server.port",
                        providerPort,
                        "server.address",
                        "127.0.0.1",
                        "spring.main.banner-mode",
                        "off",
                        "logging.level.root",
                        "WARN",
                        "provider.issuer",
                        issuer.toString(),
                        "provider.redirect-uri",
                        console.toString(),
                        "provider.console-origin",
                        "http://localhost:" + consolePort,
                        "provider.password",
                        PASSWORD))
                .run();
        moderation = system.startModerationService(
                "moderation-service-oidc",
                consolePort,
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer,
                "--moderation.console.client-id=" + CLIENT_ID);
    }

    @AfterAll
    static void stop() {
        if (moderation != null) {
            moderation.stop(Duration.ofSeconds(20));
        }
        if (identityProvider != null) {
            identityProvider.close();
        }
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aModeratorSignsInAtTheIdentityProviderAndWorksTheQueueWithTheTokenInMemoryOnly() throws Exception {
        String article = "oidc-" + UUID.randomUUID();
        String text = heldComment(article);
        browser = Browsers.start();

        browser.get(console.toString());
        WebElement signIn = await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("oidc-sign-in")), WebElement::isDisplayed);
        // production: no local sign-in, the provider's button only
        assertThat(browser.findElement(By.id("local-sign-in")).isDisplayed()).isFalse();
        signIn.click();

        logIn(ALICE);

        WebElement signedInAs = await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("signed-in-as")), WebElement::isDisplayed);
        assertThat(signedInAs.getText()).contains(ALICE).contains("MODERATOR");
        assertThat(browser.findElement(By.id("sign-in")).isDisplayed()).isFalse();
        // the single-use code and the state are gone from the address bar (and so from the history)
        URI landed = URI.create(browser.getCurrentUrl());
        assertThat(landed.getRawQuery()).isNull();
        assertThat(landed.getPath()).isEqualTo("/moderate/");
        // the console sent a PKCE challenge (S256) and a state; the provider requires PKCE of this client anyway
        Map<String, String> authorization = IdentityProvider.authorizeRequests.getFirst();
        assertThat(authorization)
                .containsEntry("code_challenge_method", "S256")
                .containsKey("code_challenge")
                .containsEntry("client_id", CLIENT_ID)
                .containsEntry("redirect_uri", console.toString());
        assertThat(authorization.get("state")).isNotBlank();

        // the queue came from the API with the provider's bearer token: the held comment, by its article
        WebElement filter = await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.cssSelector("#filters [name=articleId]")), WebElement::isDisplayed);
        filter.sendKeys(article, Keys.ENTER);
        WebElement item = await().atMost(WAIT)
                .ignoreExceptions()
                .until(
                        () -> browser.findElement(By.cssSelector("#queue li.item")),
                        found -> found.getText().contains(text));
        assertThat(item.findElement(By.cssSelector(".item-author-name")).getText())
                .isEqualTo("Held By Links");

        // the tokens the provider issued are nowhere the page's scripts could keep them beyond the page
        assertThat(IssuedTokens.values).isNotEmpty();
        assertNoTokenStored();

        // a reload forgets the in-memory token: the signed-out screen, not a session (no refresh token either: a
        // public client gets none from this provider)
        browser.navigate().refresh();
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("oidc-sign-in")).isDisplayed());
        assertThat(browser.findElement(By.id("signed-in-as")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("view")).isDisplayed()).isFalse();
        assertNoTokenStored();

        // signing in again goes through the provider's session: no password asked, alice again
        int issued = IssuedTokens.values.size();
        browser.findElement(By.id("oidc-sign-in")).click();
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("signed-in-as")).getText(), name -> name.contains(ALICE));
        assertThat(IssuedTokens.values).hasSizeGreaterThan(issued);
        assertNoTokenStored();

        // signing out drops the token and ends the provider's session too (RP-initiated logout), which sends the
        // browser back to the console's sign-in screen
        browser.findElement(By.id("sign-out")).click();
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> browser.getCurrentUrl().startsWith(console.toString())
                        && browser.findElement(By.id("oidc-sign-in")).isDisplayed());
        assertThat(IdentityProvider.logoutRequests).isNotEmpty();
        assertThat(browser.findElement(By.id("header")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("view")).isDisplayed()).isFalse();
        assertNoTokenStored();
        assertNoCspViolations();
        // so the next person at this computer is asked for a password, not signed in as alice with one click
        browser.findElement(By.id("oidc-sign-in")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().startsWith(issuer + "/login"));
    }

    @Test
    void whenTheAccessTokenExpiresTheConsoleSaysSoAndShowsTheSignInAgain() throws Exception {
        browser = Browsers.start();
        browser.get(console.toString());
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("oidc-sign-in")).isDisplayed());
        browser.findElement(By.id("oidc-sign-in")).click();
        logIn(BOB);
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("signed-in-as")).getText(), name -> name.contains(BOB));
        long signedIn = System.nanoTime();

        // no refresh token (a public client gets none here): the session ends with the token, on a clear screen
        WebElement message = await().atMost(BRIEF_TOKEN.plus(WAIT))
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("signed-out-message")), WebElement::isDisplayed);
        // at the token's expiry: not at once, not long after
        assertThat(Duration.ofNanos(System.nanoTime() - signedIn))
                .isBetween(BRIEF_TOKEN.minusSeconds(10), BRIEF_TOKEN.plusSeconds(5));
        assertThat(message.getText()).containsIgnoringCase("expired");
        assertThat(browser.findElement(By.id("oidc-sign-in")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("header")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("view")).isDisplayed()).isFalse();
        assertNoTokenStored();
        assertNoCspViolations();
    }

    @Test
    void aSignInResponseTheConsoleDidNotAskForShowsAnErrorNotASession() throws Exception {
        browser = Browsers.start();
        // login CSRF: mallory (a real user of the provider, a moderator too) completes a sign-in of her own outside
        // the victim's browser and gets a genuine code for the console's redirect URI
        AuthorizationCode mallorys = authorizationCode(MALLORY);
        // the victim has started a sign-in (the console keeps its own state and PKCE verifier) ...
        browser.get(console.toString());
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("oidc-sign-in")).isDisplayed());
        browser.findElement(By.id("oidc-sign-in")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().startsWith(issuer + "/login"));
        String victimsState = IdentityProvider.authorizeRequests.getFirst().get("state");
        assertThat(victimsState).isNotEqualTo(mallorys.state());

        // ... and is sent back to the console with mallory's code and state
        browser.get(console + "?code=" + encode(mallorys.code()) + "&state=" + encode(mallorys.state()));
        assertSignInRefused();
        // the console did not even try the code (the state did not match); yet it was good: its holder redeems it
        assertThat(IdentityProvider.redeemedCodes).doesNotContain(mallorys.code());
        assertThat(redeem(mallorys, mallorys.verifier()).statusCode()).isEqualTo(200);

        // with the victim's own state (had it leaked), mallory's code still opens nothing: the provider wants the
        // verifier of mallory's challenge, and the console holds only the victim's
        AuthorizationCode another = authorizationCode(MALLORY);
        browser.get(console.toString());
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("oidc-sign-in")).isDisplayed());
        browser.findElement(By.id("oidc-sign-in")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().startsWith(issuer + "/login"));
        String pendingState = IdentityProvider.authorizeRequests.getFirst().get("state");
        browser.get(console + "?code=" + encode(another.code()) + "&state=" + encode(pendingState));
        assertSignInRefused();
        // the console did try it, and the provider refused it
        assertThat(IdentityProvider.redeemedCodes).contains(another.code());

        // and a made-up response, without any sign-in pending
        browser.get(console + "?code=x&state=forged");
        assertSignInRefused();
        assertNoTokenStored();
    }

    private void assertSignInRefused() {
        WebElement message = await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id("signed-out-message")), WebElement::isDisplayed);
        assertThat(message.getText()).isNotBlank();
        assertThat(browser.findElement(By.id("oidc-sign-in")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("header")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("signed-in-as")).getText()).doesNotContain(MALLORY);
        assertThat(URI.create(browser.getCurrentUrl()).getRawQuery()).isNull();
    }

    /** Nothing in localStorage, sessionStorage or the page's cookies holds an issued token, or anything like one. */
    private void assertNoTokenStored() {
        @SuppressWarnings("unchecked")
        List<String> stored = (List<String>) ((JavascriptExecutor) browser).executeScript("""
                const entries = [];
                for (const store of [localStorage, sessionStorage]) {
                  for (let i = 0; i < store.length; i++) {
                    entries.push(store.key(i) + '=' + store.getItem(store.key(i)));
                  }
                }
                entries.push('cookie=' + document.cookie);
                return entries;
                """);
        for (String entry : stored) {
            assertThat(JWT.matcher(entry).find())
                    .as("looks like a JWT: %s", entry)
                    .isFalse();
            for (String token : IssuedTokens.values) {
                assertThat(entry).doesNotContain(token);
            }
        }
    }

    private void assertNoCspViolations() {
        List<String> violations = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy"))
                .toList();
        assertThat(violations).isEmpty();
    }

    /** At the provider's login page: the user's name and password. */
    private void logIn(String user) {
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().startsWith(issuer + "/login"));
        browser.findElement(By.name("username")).sendKeys(user);
        browser.findElement(By.name("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    /** A comment held for its links (one more than moderation allows), seen held by moderation-service. */
    private String heldComment(String article) throws Exception {
        StringBuilder text = new StringBuilder("Held for its links " + UUID.randomUUID() + ":");
        for (int i = 0; i <= RunningSystem.MAX_LINKS; i++) {
            text.append(" https://source").append(i).append(".example.org");
        }
        HttpResponse<String> posted = http.send(
                HttpRequest.newBuilder(system.commentService.resolve("/api/articles/" + article + "/comments"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of(
                                "name", "Held By Links", "email", "links@example.org", "text", text.toString()))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        String id = json.readTree(posted.body()).get("id").asString();
        await().atMost(MODERATION).until(() -> {
            HttpResponse<String> found = http.send(
                    HttpRequest.newBuilder(system.moderationService.resolve("/api/moderation/comments/" + id))
                            .header(
                                    "Authorization",
                                    "Bearer " + ModeratorDecisionSystemTests.token("test", "MODERATOR"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return found.statusCode() == 200
                    && json.readTree(found.body())
                            .get("decision")
                            .get("outcome")
                            .asString()
                            .equals("HELD");
        });
        return text.toString();
    }

    // ---- a sign-in outside the browser, as another person would do it with their own client ----

    record AuthorizationCode(String code, String state, String verifier) {}

    /** Signs {@code user} in at the provider for the console's client and redirect URI, and keeps the code. */
    private AuthorizationCode authorizationCode(String user) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String verifier = random();
        String state = random();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
        URI authorize = issuer.resolve("/oauth2/authorize?response_type=code&client_id=" + CLIENT_ID
                + "&redirect_uri=" + encode(console.toString()) + "&scope=" + encode("openid profile")
                + "&state=" + state + "&code_challenge=" + challenge + "&code_challenge_method=S256");
        HttpResponse<String> toLogin = client.send(
                HttpRequest.newBuilder(authorize).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(toLogin.statusCode()).isEqualTo(302);
        HttpResponse<String> loginPage = client.send(
                HttpRequest.newBuilder(issuer.resolve("/login")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher csrf = Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*value=\"([^\"]+)\""
                        + "|<input[^>]*value=\"([^\"]+)\"[^>]*name=\"_csrf\"")
                .matcher(loginPage.body());
        assertThat(csrf.find()).as(loginPage.body()).isTrue();
        String form = "username=" + encode(user) + "&password=" + encode(PASSWORD) + "&_csrf="
                + encode(csrf.group(1) != null ? csrf.group(1) : csrf.group(2));
        HttpResponse<String> loggedIn = client.send(
                HttpRequest.newBuilder(issuer.resolve("/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(loggedIn.statusCode()).isEqualTo(302);
        URI resumed = issuer.resolve(loggedIn.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> redirected = client.send(
                HttpRequest.newBuilder(resumed).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(redirected.statusCode()).as(redirected.body()).isEqualTo(302);
        URI back = URI.create(redirected.headers().firstValue("Location").orElseThrow());
        assertThat(back.toString()).startsWith(console.toString());
        Map<String, String> query = query(back.getRawQuery());
        assertThat(query).containsEntry("state", state).containsKey("code");
        return new AuthorizationCode(query.get("code"), state, verifier);
    }

    private HttpResponse<String> redeem(AuthorizationCode code, String verifier) throws Exception {
        String form = "grant_type=authorization_code&code=" + encode(code.code()) + "&redirect_uri="
                + encode(console.toString()) + "&client_id=" + CLIENT_ID + "&code_verifier=" + encode(verifier);
        return http.send(
                HttpRequest.newBuilder(issuer.resolve("/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(
                    URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String value) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
    }

    // ---- the identity provider ----

    /** The access tokens the provider issued, to look for them where they must not be. */
    static final class IssuedTokens {

        static final Set<String> values = ConcurrentHashMap.newKeySet();

        private IssuedTokens() {}
    }

    /**
     * Spring Authorization Server as a newsroom would set it up for the console: the public client
     * {@code talkback-console} (no secret: it runs in a browser), PKCE required, the authorization code grant only
     * (this server gives public clients no refresh token), the console's URL as its only redirect URI; users with
     * a form login; access tokens that carry the user's roles and moderation-service's audience. CORS for the
     * console's origin on the endpoints a browser script calls (discovery, token, keys), as a provider must allow
     * for a single-page client.
     */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class IdentityProvider {

        /** The query of every authorization request, newest first. */
        static final ConcurrentLinkedDeque<Map<String, String>> authorizeRequests = new ConcurrentLinkedDeque<>();
        /** The query of every logout request (RP-initiated logout). */
        static final ConcurrentLinkedDeque<Map<String, String>> logoutRequests = new ConcurrentLinkedDeque<>();
        /** The code of every token request for one. */
        static final Set<String> redeemedCodes = ConcurrentHashMap.newKeySet();

        @Bean
        @Order(1)
        SecurityFilterChain authorizationServerSecurity(HttpSecurity http) throws Exception {
            http.oauth2AuthorizationServer(server -> {
                        http.securityMatcher(server.getEndpointsMatcher());
                        server.oidc(Customizer.withDefaults());
                    })
                    .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .cors(Customizer.withDefaults())
                    .exceptionHandling(handling -> handling.defaultAuthenticationEntryPointFor(
                            new LoginUrlAuthenticationEntryPoint("/login"),
                            new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
            return http.build();
        }

        @Bean
        @Order(2)
        SecurityFilterChain loginSecurity(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .formLogin(Customizer.withDefaults())
                    .build();
        }

        @Bean
        CorsConfigurationSource corsConfigurationSource(@Value("${provider.console-origin}") String consoleOrigin) {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(List.of(consoleOrigin));
            cors.setAllowedMethods(List.of("GET", "POST"));
            cors.setAllowedHeaders(List.of("Content-Type", "Accept"));
            UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
            source.registerCorsConfiguration("/**", cors);
            return source;
        }

        @Bean
        RegisteredClientRepository registeredClients(@Value("${provider.redirect-uri}") String redirectUri) {
            RegisteredClient console = RegisteredClient.withId(UUID.randomUUID().toString())
                    .clientId(CLIENT_ID)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUri(redirectUri)
                    .postLogoutRedirectUri(redirectUri)
                    .scope(OidcScopes.OPENID)
                    .scope(OidcScopes.PROFILE)
                    .clientSettings(ClientSettings.builder()
                            .requireProofKey(true)
                            .requireAuthorizationConsent(false)
                            .build())
                    .tokenSettings(TokenSettings.builder()
                            .accessTokenTimeToLive(Duration.ofMinutes(10))
                            .build())
                    .build();
            return new InMemoryRegisteredClientRepository(console);
        }

        @Bean
        UserDetailsService users(@Value("${provider.password}") String password) {
            return new InMemoryUserDetailsManager(
                    User.withUsername(ALICE)
                            .password("{noop}" + password)
                            .roles("MODERATOR")
                            .build(),
                    User.withUsername(MALLORY)
                            .password("{noop}" + password)
                            .roles("MODERATOR")
                            .build(),
                    User.withUsername(BOB)
                            .password("{noop}" + password)
                            .roles("MODERATOR")
                            .build());
        }

        @Bean
        AuthorizationServerSettings authorizationServerSettings(@Value("${provider.issuer}") String issuer) {
            return AuthorizationServerSettings.builder().issuer(issuer).build();
        }

        /**
         * The roles (ROLE_X authorities, as X) and moderation-service's audience, in access tokens only; bob's last
         * {@link #BRIEF_TOKEN}.
         */
        @Bean
        OAuth2TokenCustomizer<JwtEncodingContext> accessTokenClaims() {
            return context -> {
                if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                    Collection<? extends GrantedAuthority> authorities =
                            context.getPrincipal().getAuthorities();
                    List<String> roles = authorities.stream()
                            .map(GrantedAuthority::getAuthority)
                            .filter(authority -> authority.startsWith("ROLE_"))
                            .map(authority -> authority.substring("ROLE_".length()))
                            .toList();
                    context.getClaims().claim("roles", roles).audience(List.of(CLIENT_ID, AUDIENCE));
                    if (BOB.equals(context.getPrincipal().getName())) {
                        // the token response's expires_in follows the token's exp
                        context.getClaims().expiresAt(Instant.now().plus(BRIEF_TOKEN));
                    }
                }
            };
        }

        /** The provider's own in-memory store, recording each access token it issues. */
        @Bean
        OAuth2AuthorizationService authorizations() {
            InMemoryOAuth2AuthorizationService store = new InMemoryOAuth2AuthorizationService();
            return new OAuth2AuthorizationService() {
                @Override
                public void save(OAuth2Authorization authorization) {
                    if (authorization.getAccessToken() != null) {
                        IssuedTokens.values.add(
                                authorization.getAccessToken().getToken().getTokenValue());
                    }
                    store.save(authorization);
                }

                @Override
                public void remove(OAuth2Authorization authorization) {
                    store.remove(authorization);
                }

                @Override
                public OAuth2Authorization findById(String id) {
                    return store.findById(id);
                }

                @Override
                public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
                    return store.findByToken(token, tokenType);
                }
            };
        }

        /** Records the authorization, token and logout requests as they arrive, before any security filter. */
        @Bean
        FilterRegistrationBean<Filter> authorizeRequestRecorder() {
            Filter recorder = (request, response, chain) -> {
                if (request instanceof HttpServletRequest servletRequest) {
                    String path = servletRequest.getRequestURI();
                    if ("/oauth2/authorize".equals(path) && servletRequest.getParameter("state") != null) {
                        Map<String, String> parameters = new HashMap<>();
                        servletRequest.getParameterMap().forEach((name, values) -> parameters.put(name, values[0]));
                        authorizeRequests.addFirst(parameters);
                    }
                    if ("/connect/logout".equals(path)) {
                        Map<String, String> parameters = new HashMap<>();
                        servletRequest.getParameterMap().forEach((name, values) -> parameters.put(name, values[0]));
                        logoutRequests.addFirst(parameters);
                    }
                    if ("/oauth2/token".equals(path) && servletRequest.getParameter("code") != null) {
                        redeemedCodes.add(servletRequest.getParameter("code"));
                    }
                }
                chain.doFilter(request, response);
            };
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(recorder);
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
            return registration;
        }
    }
}
