package dev.talkback.support.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class ClientAddressResolverTests {

    private static MockServerHttpRequest from(String peer, String... forwardedFor) {
        return MockServerHttpRequest.post("/")
                .remoteAddress(new InetSocketAddress(peer, 40000))
                .header("X-Forwarded-For", forwardedFor)
                .build();
    }

    private static ClientAddressResolver resolver(String header, String... trusted) {
        return new ClientAddressResolver("comments.client-ip", header, List.of(trusted));
    }

    @Test
    void withoutAConfiguredHeaderThePeerIsTheClient() {
        assertThat(resolver("", "10.0.0.0/8").resolve(from("10.0.0.5", "203.0.113.7")))
                .isEqualTo("10.0.0.5");
    }

    @Test
    void headerOfAnUntrustedPeerIsIgnored() {
        assertThat(resolver("X-Forwarded-For", "10.0.0.0/8").resolve(from("198.51.100.9", "203.0.113.7")))
                .isEqualTo("198.51.100.9");
    }

    @Test
    void rightMostUntrustedAddressOfATrustedPeerIsTheClient() {
        var resolver = resolver("X-Forwarded-For", "10.0.0.0/8", "192.168.1.1");
        assertThat(resolver.resolve(from("10.1.2.3", "1.1.1.1, 203.0.113.7, 192.168.1.1")))
                .isEqualTo("203.0.113.7");
        assertThat(resolver.resolve(from("10.1.2.3", "203.0.113.7", "10.9.9.9")))
                .isEqualTo("203.0.113.7");
        assertThat(resolver.resolve(from("10.1.2.3", "2001:db8::1"))).isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void garbageInTheHeaderNeverReachesDns() {
        var resolver = resolver("X-Forwarded-For", "10.0.0.0/8");
        assertThat(resolver.resolve(from("10.1.2.3", "evil.example.org"))).isEqualTo("10.1.2.3");
        assertThat(resolver.resolve(from("10.1.2.3"))).isEqualTo("10.1.2.3");
    }

    @Test
    @Timeout(value = 2, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aLongRunOfColonsIsNotAnAddressAndCostsLittle() {
        // the old expression [0-9A-Fa-f:.]*:[0-9A-Fa-f:.]* backtracked quadratically on this: minutes of CPU
        assertThat(ClientAddressResolver.parseLiteral(":".repeat(100_000) + "g"))
                .isNull();
        assertThat(ClientAddressResolver.parseLiteral("1:".repeat(50_000))).isNull();
        assertThat(ClientAddressResolver.parseLiteral("2001:db8::1")).isNotNull();
        assertThat(ClientAddressResolver.parseLiteral("[::ffff:192.0.2.1]")).isNotNull();
        assertThat(ClientAddressResolver.parseLiteral("0000:0000:0000:0000:0000:ffff:255.255.255.255"))
                .isNotNull();
        assertThat(ClientAddressResolver.parseLiteral("2001:db8::g")).isNull();
    }

    @Test
    void ranges() {
        var range = ClientAddressResolver.AddressRange.parse("test.trusted-proxies", "172.16.0.0/12");
        assertThat(range.contains(ClientAddressResolver.parseLiteral("172.31.255.255")))
                .isTrue();
        assertThat(range.contains(ClientAddressResolver.parseLiteral("172.32.0.1")))
                .isFalse();
        assertThat(range.contains(ClientAddressResolver.parseLiteral("::1"))).isFalse();
        assertThat(ClientAddressResolver.AddressRange.parse("test.trusted-proxies", "::1")
                        .contains(ClientAddressResolver.parseLiteral("0:0:0:0:0:0:0:1")))
                .isTrue();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ClientAddressResolver.AddressRange.parse("test.trusted-proxies", "proxy.local"));
    }
}
