package dev.talkback.engine;

import com.sanctionco.jmail.EmailValidationResult;
import com.sanctionco.jmail.EmailValidator;
import com.sanctionco.jmail.JMail;
import java.net.IDN;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one definition of an acceptable commenter address, used by the intake (to answer the reader at once) and by
 * the moderation pipeline (so that an event that bypassed the intake is judged the same way).
 *
 * <p>The policy is stricter than RFC 5322 because an address on a comment form is for sending mail to a person:
 * no IP-literal or dotless domains, no quoted local parts (nor a quoted word among the atoms), no backslash escapes,
 * comments, display names or source routes, and nothing that could inject a mail header (control characters, CR,
 * LF). Internationalised addresses (RFC 6531, IDN) pass.
 * Syntax checking is delegated to jmail, which is correct where regular expressions are not.
 */
public final class EmailAddressPolicy {

    /** RFC 5321 path limit, and the intake's field limit. */
    public static final int MAX_LENGTH = 254;

    /** Providers whose misspellings are common enough to suggest a fix for. */
    private static final List<String> COMMON_PROVIDERS = List.of(
            "gmail.com",
            "googlemail.com",
            "hotmail.com",
            "outlook.com",
            "live.com",
            "yahoo.com",
            "icloud.com",
            "aol.com",
            "gmx.de",
            "gmx.net",
            "web.de",
            "hotmail.fr",
            "orange.fr",
            "free.fr",
            "yahoo.fr",
            "hotmail.co.uk",
            "yahoo.co.uk",
            "btinternet.com",
            "protonmail.com",
            "proton.me",
            "mail.ru",
            "yandex.ru",
            "t-online.de",
            "comcast.net",
            "msn.com",
            "me.com",
            "libero.it",
            "laposte.net",
            "wanadoo.fr",
            "email.com",
            "mail.com",
            "gmx.com",
            "ymail.com");

    private static final Map<String, String> KNOWN_TYPOS = Map.of(
            "gmail.co",
            "gmail.com",
            "gmail.cm",
            "gmail.com",
            "hotmail.co",
            "hotmail.com",
            "yahoo.co",
            "yahoo.com",
            "gmail.om",
            "gmail.com",
            "gnail.com",
            "gmail.com");

    private final @Nullable DisposableDomains disposableDomains;

    /** The policy with the shipped list of disposable domains. */
    public EmailAddressPolicy() {
        this(null);
    }

    /** The policy with a configured list of disposable domains ({@code null}: the shipped one, loaded lazily). */
    public EmailAddressPolicy(@Nullable DisposableDomains disposableDomains) {
        this.disposableDomains = disposableDomains;
    }

    /** What {@link #check} found. */
    public enum Finding {
        VALID,
        INVALID,
        DISPOSABLE
    }

    /**
     * An address checked for syntax and disposable domain (no DNS).
     *
     * @param finding what was found
     * @param reason  a sentence for moderators, empty when valid
     * @param domain  the domain in ASCII (punycode) lower case, or {@code null} when the syntax is invalid
     */
    public record Check(
            Finding finding, String reason, @Nullable String domain) {}

    /** Syntax, then the disposable-domain list. */
    public Check check(@Nullable String address) {
        Optional<String> problem = problemWith(address);
        if (problem.isPresent()) {
            return new Check(Finding.INVALID, problem.get(), null);
        }
        String domain = asciiDomain(address);
        if (domain == null) {
            return new Check(Finding.INVALID, "has a domain that is not a valid internationalised name", null);
        }
        DisposableDomains list = disposableDomains != null ? disposableDomains : DisposableDomains.shipped();
        if (list.isDisposable(domain)) {
            return new Check(Finding.DISPOSABLE, "is at a disposable-mailbox provider", domain);
        }
        return new Check(Finding.VALID, "", domain);
    }

    /**
     * A corrected address when the domain is a likely misspelling of a common provider (gmial.com → gmail.com), for
     * the intake to offer. Empty when the address is invalid, already at a known provider, or not close to one.
     */
    public Optional<String> suggestionFor(@Nullable String address) {
        if (address == null || problemWith(address).isPresent()) {
            return Optional.empty();
        }
        int at = address.lastIndexOf('@');
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (COMMON_PROVIDERS.contains(domain)) {
            return Optional.empty();
        }
        String fix = KNOWN_TYPOS.get(domain);
        if (fix == null) {
            int best = Integer.MAX_VALUE;
            for (String provider : COMMON_PROVIDERS) {
                int d = damerauLevenshtein(domain, provider);
                // One edit on a short name, two on a longer one; further than that it is probably a real domain.
                int allowed = provider.length() >= 9 ? 2 : 1;
                if (d <= allowed && d < best) {
                    best = d;
                    fix = provider;
                }
            }
        }
        return Optional.ofNullable(fix).map(f -> address.substring(0, at + 1) + f);
    }

    /** The domain of an accepted address in ASCII lower case (IDN to punycode), or null. */
    static @Nullable String asciiDomain(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return null;
        }
        try {
            return IDN.toASCII(address.substring(at + 1), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int damerauLevenshtein(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private final EmailValidator validator = JMail.strictValidator()
            .disallowQuotedIdentifiers()
            .disallowObsoleteWhitespace()
            .disallowSingleCharacterTopLevelDomains();

    /**
     * Checks an address.
     *
     * @return empty when the address is acceptable, else a sentence saying what is wrong with it
     */
    public Optional<String> problemWith(@Nullable String address) {
        if (address == null || address.isBlank()) {
            return Optional.of("must not be blank");
        }
        if (address.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        if (address.chars().anyMatch(EmailAddressPolicy::isControlOrLineBreak)) {
            return Optional.of("must not contain control characters or line breaks");
        }
        EmailValidationResult result = validator.validate(address);
        if (result.isFailure()) {
            return Optional.of("is not a valid email address (" + describe(result) + ")");
        }
        var email = result.getEmail().orElseThrow();
        if (!email.comments().isEmpty()) {
            return Optional.of("is not a valid email address (comments are not allowed)");
        }
        // jmail takes RFC 5322's obsolete local parts: a quoted word anywhere among dot-separated atoms
        // (test."x"@, test."".test@) and a backslash-escaped character outside quotes (test\@test@), which
        // RFC 5321 and is_email refuse. Quoted local parts are refused whole, so neither character has a place here.
        if (email.localPart().indexOf('"') >= 0) {
            return Optional.of("is not a valid email address (quoted local parts are not allowed)");
        }
        if (email.localPart().indexOf('\\') >= 0) {
            return Optional.of("is not a valid email address (a backslash escape is allowed only inside quotes)");
        }
        return Optional.empty();
    }

    public boolean isAcceptable(String address) {
        return problemWith(address).isEmpty();
    }

    private static boolean isControlOrLineBreak(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }

    private static String describe(EmailValidationResult result) {
        return result.getFailureReason()
                .toString()
                .toLowerCase(java.util.Locale.ROOT)
                .replace('_', ' ');
    }
}
