package dev.talkback.moderation.dns;

import dev.talkback.engine.DomainResolver;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether a mail domain can receive mail (RFC 5321 §5.1): MX records (a null MX, RFC 7505, means no), else A, else
 * AAAA records; NXDOMAIN or no such records means no. A server failure, a refusal or no answer within the timeout
 * means nothing is known ({@code UNAVAILABLE}), never "no mail domain". The queries run on Netty's own event loop
 * (UDP, non-blocking); {@link #lookup} only waits for the answer, within the timeout.
 */
final class NettyDomainResolver implements DomainResolver, AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final DnsNameResolver resolver;
    private final Duration timeout;

    /**
     * @param servers DNS servers; empty = the system's ({@code /etc/resolv.conf})
     * @param timeout longest wait for one lookup (all its queries)
     */
    NettyDomainResolver(List<InetSocketAddress> servers, Duration timeout) {
        this.timeout = timeout;
        DnsServerAddressStreamProvider provider = servers.isEmpty()
                ? DnsServerAddressStreamProviders.platformDefault()
                : new SequentialDnsServerAddressStreamProvider(servers.toArray(InetSocketAddress[]::new));
        this.resolver = new DnsNameResolverBuilder(group.next())
                .datagramChannelType(NioDatagramChannel.class)
                .nameServerProvider(provider)
                .queryTimeoutMillis(Math.max(1, timeout.toMillis() / 2))
                .maxQueriesPerResolve(2)
                .recursionDesired(true)
                .optResourceEnabled(false)
                .build();
    }

    @Override
    public Status lookup(String domain) {
        try {
            return lookupAsync(domain).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.UNAVAILABLE;
        } catch (ExecutionException | TimeoutException e) {
            return Status.UNAVAILABLE;
        }
    }

    /** The lookup without blocking: MX, then A, then AAAA. */
    CompletableFuture<Status> lookupAsync(String domain) {
        return query(domain, DnsRecordType.MX).thenCompose(mx -> switch (mx) {
            case FOUND -> CompletableFuture.completedFuture(Status.RESOLVES);
            case NULL_MX, NXDOMAIN -> CompletableFuture.completedFuture(Status.NO_MAIL_DOMAIN);
            case FAILED -> CompletableFuture.completedFuture(Status.UNAVAILABLE);
            case NONE ->
                query(domain, DnsRecordType.A).thenCompose(a -> switch (a) {
                    case FOUND -> CompletableFuture.completedFuture(Status.RESOLVES);
                    case FAILED -> CompletableFuture.completedFuture(Status.UNAVAILABLE);
                    case NXDOMAIN, NULL_MX -> CompletableFuture.completedFuture(Status.NO_MAIL_DOMAIN);
                    case NONE ->
                        query(domain, DnsRecordType.AAAA).thenApply(aaaa -> switch (aaaa) {
                            case FOUND -> Status.RESOLVES;
                            case FAILED -> Status.UNAVAILABLE;
                            case NONE, NXDOMAIN, NULL_MX -> Status.NO_MAIL_DOMAIN;
                        });
                });
        });
    }

    private enum Answer {
        FOUND,
        NONE,
        NULL_MX,
        NXDOMAIN,
        FAILED
    }

    private CompletableFuture<Answer> query(String domain, DnsRecordType type) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        resolver.query(new DefaultDnsQuestion(domain.endsWith(".") ? domain : domain + ".", type))
                .addListener(done -> {
                    if (!done.isSuccess()) {
                        answer.complete(Answer.FAILED);
                        return;
                    }
                    @SuppressWarnings("unchecked")
                    var envelope = (AddressedEnvelope<DnsResponse, InetSocketAddress>) done.getNow();
                    try {
                        answer.complete(read(envelope.content(), type));
                    } finally {
                        envelope.release();
                    }
                });
        return answer;
    }

    private static Answer read(DnsResponse response, DnsRecordType type) {
        if (DnsResponseCode.NXDOMAIN.equals(response.code())) {
            return Answer.NXDOMAIN;
        }
        if (!DnsResponseCode.NOERROR.equals(response.code())) {
            return Answer.FAILED;
        }
        boolean found = false;
        for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
            DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
            if (!type.equals(record.type())) {
                continue;
            }
            if (type.equals(DnsRecordType.MX) && isNullMx(record)) {
                return Answer.NULL_MX;
            }
            found = true;
        }
        return found ? Answer.FOUND : Answer.NONE;
    }

    /** RFC 7505: preference 0 and the root as exchange, "this domain accepts no mail". */
    private static boolean isNullMx(DnsRecord record) {
        if (!(record instanceof DnsRawRecord raw)) {
            return false;
        }
        var content = raw.content();
        int at = content.readerIndex();
        return content.readableBytes() == 3
                && content.getByte(at) == 0
                && content.getByte(at + 1) == 0
                && content.getByte(at + 2) == 0;
    }

    @Override
    public void close() {
        resolver.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
