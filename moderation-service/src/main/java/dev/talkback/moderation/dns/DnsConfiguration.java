package dev.talkback.moderation.dns;

import dev.talkback.engine.CachingDomainResolver;
import dev.talkback.engine.DomainResolver;
import dev.talkback.moderation.ModerationProperties;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine's {@link DomainResolver}: with {@code moderation.dns.enabled} (default) the Netty resolver behind the
 * engine's {@link CachingDomainResolver} (timeout, TTL cache, a short TTL for "no answer"); without it, no check
 * (every domain counts as resolving), for environments without DNS such as the local stack and the system tests.
 */
@Configuration(proxyBeanMethods = false)
class DnsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DnsConfiguration.class);

    @Bean(destroyMethod = "close")
    NettyDomainResolver nettyDomainResolver(ModerationProperties properties) {
        return new NettyDomainResolver(
                addresses(properties.dns().servers()), properties.dns().timeout());
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService dnsLookups() {
        // waits for Netty's answers (the lookups themselves are non-blocking); a few threads are plenty
        return Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "dns-lookup");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    DomainResolver domainResolver(
            ModerationProperties properties, NettyDomainResolver netty, ExecutorService dnsLookups, Clock clock) {
        var dns = properties.dns();
        if (!dns.enabled()) {
            log.info("Mail domains are not checked (moderation.dns.enabled=false)");
            return DomainResolver.notChecked();
        }
        return new CachingDomainResolver(
                netty, dns.timeout(), dns.ttl(), dns.failureTtl(), dnsLookups, clock, dns.cacheSize());
    }

    /** {@code host} or {@code host:port} (port 53 by default); IPv6 as {@code [::1]:53}. */
    static List<InetSocketAddress> addresses(List<String> servers) {
        return servers.stream()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(server -> {
                    String host = server;
                    int port = 53;
                    int colon = server.lastIndexOf(':');
                    if (server.startsWith("[")) {
                        int close = server.indexOf(']');
                        host = server.substring(1, close);
                        if (close + 1 < server.length() && server.charAt(close + 1) == ':') {
                            port = Integer.parseInt(server.substring(close + 2));
                        }
                    } else if (colon > 0 && server.indexOf(':') == colon) {
                        host = server.substring(0, colon);
                        port = Integer.parseInt(server.substring(colon + 1));
                    }
                    return new InetSocketAddress(host, port);
                })
                .toList();
    }
}
