package dev.talkback.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmailCheckTests {

    private final EmailAddressPolicy policy = new EmailAddressPolicy();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ada@example.org                 | VALID
            first.last+tag@news.example.co.uk | VALID
            user@münchen.de                 | VALID
            用户@例子.广告                    | VALID
            ada@mailinator.com              | DISPOSABLE
            ada@sub.mailinator.com          | DISPOSABLE
            ada@MAILINATOR.COM              | DISPOSABLE
            ada@10minutemail.com            | DISPOSABLE
            dotless@localhost               | INVALID
            ip@[192.168.0.1]                | INVALID
            bare@192.168.0.1                | INVALID
            Ada <ada@example.org>           | INVALID
            ada(comment)@example.org        | INVALID
            '"quoted"@example.org'          | INVALID
            two@@example.org                | INVALID
            """)
    void checksSyntaxThenDisposableDomains(String address, EmailAddressPolicy.Finding expected) {
        assertThat(policy.check(address).finding()).isEqualTo(expected);
    }

    @Test
    void rejectsHeaderInjectionAndControlCharacters() {
        for (String address :
                List.of("ada@example.org\r\nBcc: x@example.org", "ada@exa\u0000mple.org", "ada\u2028@example.org")) {
            assertThat(policy.check(address).finding()).isEqualTo(EmailAddressPolicy.Finding.INVALID);
        }
    }

    @Test
    void givesTheAsciiFormOfAnInternationalDomain() {
        assertThat(policy.check("user@münchen.de").domain()).isEqualTo("xn--mnchen-3ya.de");
    }

    @Test
    void extraListsAndTheAllowListApply() {
        EmailAddressPolicy custom =
                new EmailAddressPolicy(DisposableDomains.of(List.of("throwaway.example"), List.of("mailinator.com")));
        assertThat(custom.check("a@x.throwaway.example").finding()).isEqualTo(EmailAddressPolicy.Finding.DISPOSABLE);
        assertThat(custom.check("a@mailinator.com").finding()).isEqualTo(EmailAddressPolicy.Finding.VALID);
        assertThat(DisposableDomains.shipped().size()).isGreaterThan(8_000);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ada@gmial.com      | ada@gmail.com
            ada@gmail.co       | ada@gmail.com
            ada@hotmal.com     | ada@hotmail.com
            ada@hotmial.com    | ada@hotmail.com
            ada@yaho.com       | ada@yahoo.com
            ada@outlok.com     | ada@outlook.com
            """)
    void suggestsTheProviderMeantForACommonTypo(String address, String suggestion) {
        assertThat(policy.suggestionFor(address)).contains(suggestion);
    }

    @ParameterizedTest
    @CsvSource({"ada@gmail.com", "ada@example.org", "ada@email.com", "not-an-address", "ada@newsroom.example"})
    void suggestsNothingForRealOrUnrelatedDomains(String address) {
        assertThat(policy.suggestionFor(address)).isEmpty();
    }
}
