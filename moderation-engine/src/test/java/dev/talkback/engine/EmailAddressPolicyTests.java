package dev.talkback.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressPolicyTests {

    private final EmailAddressPolicy policy = new EmailAddressPolicy();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ada@example.org",
                "first.last+tag@news.example.co.uk",
                "o'brien@example.ie",
                "user@münchen.de",
                "用户@例子.广告",
                "x@sub-domain.example.com"
            })
    void acceptsAddressesOfRealPeople(String address) {
        assertThat(policy.problemWith(address)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "no-at-sign.example.org",
                "two@@example.org",
                "a@b@example.org",
                "dotless@localhost",
                "ip@[192.168.0.1]",
                "bare@192.168.0.1",
                "\"quoted\"@example.org",
                "Ada <ada@example.org>",
                "ada(comment)@example.org",
                "ada@example.org\r\nBcc: victim@example.org",
                "ada@example.org\n",
                "tab\t@example.org",
                ".dot@example.org",
                "dot.@example.org",
                "ada@-example.org",
                "ada@example.c"
            })
    void rejectsWhatIsNotAnAddressForAPerson(String address) {
        assertThat(policy.problemWith(address)).isPresent();
    }

    /**
     * Obsolete forms that jmail's parser takes and is_email calls invalid: a backslash escape outside a quoted local
     * part, and a quoted word among dot-separated atoms (the policy refuses quoted local parts whole).
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "test\\@test@iana.org",
                "test\\\\@iana.org",
                "test\\ @iana.org",
                "a\\@b@example.org",
                "ada\\.lovelace@example.org",
                "test.\"test\"@iana.org",
                "\"test\".test@iana.org",
                "test.\"\".test@iana.org",
                "\"te\\\"st\"@iana.org",
                "\"test\\\\blah\"@iana.org",
                "(comment)test@iana.org",
                "test.(comment)test@iana.org",
                "test@(comment)iana.org"
            })
    void rejectsBackslashEscapesQuotedWordsAndComments(String address) {
        assertThat(policy.problemWith(address)).isPresent();
        assertThat(policy.check(address).finding()).isEqualTo(EmailAddressPolicy.Finding.INVALID);
    }

    @org.junit.jupiter.api.Test
    void saysWhatIsWrongWithABackslashEscape() {
        assertThat(policy.problemWith("test\\@test@iana.org"))
                .hasValueSatisfying(p -> assertThat(p).contains("backslash"));
    }

    /** Every character RFC 5322 allows in an unquoted local part stays allowed. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "test@iana.org",
                "test.test@iana.org",
                "!#$%&'*+-/=?^_`{}|~@iana.org",
                "123@iana.org",
                "test@123.123.123.com",
                "a+b=c@example.org"
            })
    void keepsEveryUnquotedCharacterTheRfcAllows(String address) {
        assertThat(policy.problemWith(address)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void rejectsAddressesLongerThanTheSmtpLimit() {
        String address = "a".repeat(64) + "@" + ("b".repeat(60) + ".").repeat(4) + "org";
        assertThat(address.length()).isGreaterThan(EmailAddressPolicy.MAX_LENGTH);
        assertThat(policy.problemWith(address))
                .hasValueSatisfying(p -> assertThat(p).contains("254"));
    }
}
