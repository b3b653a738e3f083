package dev.talkback.engine;

import java.util.Optional;

import com.sanctionco.jmail.EmailValidationResult;
import com.sanctionco.jmail.EmailValidator;
import com.sanctionco.jmail.JMail;

/**
 * The one definition of an acceptable commenter address, used by the intake (to answer the reader at once) and by
 * the moderation pipeline (so that an event that bypassed the intake is judged the same way).
 *
 * <p>The policy is stricter than RFC 5322 because an address on a comment form is for sending mail to a person:
 * no IP-literal or dotless domains, no quoted local parts, comments, display names or source routes, and nothing
 * that could inject a mail header (control characters, CR, LF). Internationalised addresses (RFC 6531, IDN) pass.
 * Syntax checking is delegated to jmail, which is correct where regular expressions are not.
 */
public final class EmailAddressPolicy {

    /** RFC 5321 path limit, and the intake's field limit. */
    public static final int MAX_LENGTH = 254;

    private final EmailValidator validator = JMail.strictValidator()
            .disallowQuotedIdentifiers()
            .disallowObsoleteWhitespace()
            .disallowSingleCharacterTopLevelDomains();

    /**
     * Checks an address.
     *
     * @return empty when the address is acceptable, else a sentence saying what is wrong with it
     */
    public Optional<String> problemWith(String address) {
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
        if (email.localPart().startsWith("\"")) {
            return Optional.of("is not a valid email address (quoted local parts are not allowed)");
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
        return result.getFailureReason().toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
