package dev.talkback.moderation.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.talkback.engine.CachingDomainResolver;
import dev.talkback.engine.DomainResolver.Status;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The Netty resolver against a local DNS server (never the internet): MX, else A/AAAA, and every failure. */
class NettyDomainResolverTests {

    private static final LocalDnsServer DNS = new LocalDnsServer();
    private static final NettyDomainResolver RESOLVER =
            new NettyDomainResolver(List.of(DNS.address()), Duration.ofMillis(600));

    @AfterAll
    static void stop() {
        RESOLVER.close();
        DNS.close();
    }

    @Test
    void aDomainWithMxOrOnlyAnAddressReceivesMail() {
        assertThat(RESOLVER.lookup("example.org")).isEqualTo(Status.RESOLVES);
        assertThat(RESOLVER.lookup("mail.a-only.test")).isEqualTo(Status.RESOLVES);
    }

    @Test
    void aMissingDomainOneWithoutRecordsOrWithANullMxDoesNot() {
        assertThat(RESOLVER.lookup("x.nxdomain.test")).isEqualTo(Status.NO_MAIL_DOMAIN);
        assertThat(RESOLVER.lookup("x.no-mail.test")).isEqualTo(Status.NO_MAIL_DOMAIN);
        assertThat(RESOLVER.lookup("x.null-mx.test")).isEqualTo(Status.NO_MAIL_DOMAIN);
    }

    @Test
    void noAnswerAServerFailureOrNoServerMeansUnknownWithinTheTimeout() throws Exception {
        long started = System.nanoTime();
        assertThat(RESOLVER.lookup("x.silent.test")).isEqualTo(Status.UNAVAILABLE);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(RESOLVER.lookup("x.servfail.test")).isEqualTo(Status.UNAVAILABLE);

        InetSocketAddress nobody;
        try (var socket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            nobody = new InetSocketAddress("127.0.0.1", socket.getLocalPort());
        }
        try (var down = new NettyDomainResolver(List.of(nobody), Duration.ofMillis(500))) {
            assertThat(down.lookup("example.org")).isEqualTo(Status.UNAVAILABLE);
        }
    }

    @Test
    void theCacheAsksTheServerOncePerDomain() {
        var cached = new CachingDomainResolver(
                RESOLVER,
                Duration.ofSeconds(1),
                Duration.ofHours(1),
                Duration.ofMinutes(1),
                Executors.newSingleThreadExecutor(),
                Clock.systemUTC(),
                100);
        assertThat(cached.lookup("cached.example.net")).isEqualTo(Status.RESOLVES);
        int asked = DNS.queries();
        assertThat(cached.lookup("cached.example.net")).isEqualTo(Status.RESOLVES);
        assertThat(DNS.queries()).isEqualTo(asked);
    }

    @Test
    void serversAreConfiguredAsHostAndPort() {
        assertThat(DnsConfiguration.addresses(List.of("127.0.0.1:5353", " 10.0.0.2 ", "[::1]:53", "")))
                .containsExactly(
                        new InetSocketAddress("127.0.0.1", 5353),
                        new InetSocketAddress("10.0.0.2", 53),
                        new InetSocketAddress("::1", 53));
    }
}
