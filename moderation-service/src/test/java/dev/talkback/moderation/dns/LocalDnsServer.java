package dev.talkback.moderation.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP, random port) for tests; never the internet. By name:
 * <ul>
 * <li>{@code *.nxdomain.test}: NXDOMAIN</li>
 * <li>{@code *.no-mail.test}: exists, but neither MX nor A nor AAAA</li>
 * <li>{@code *.null-mx.test}: a null MX (RFC 7505)</li>
 * <li>{@code *.a-only.test}: no MX, an A record</li>
 * <li>{@code *.silent.test}: never answers (a timeout)</li>
 * <li>{@code *.servfail.test}: SERVFAIL</li>
 * <li>anything else: an MX record and an A record</li>
 * </ul>
 */
public final class LocalDnsServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final AtomicInteger queries = new AtomicInteger();

    public LocalDnsServer() {
        channel = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        new DatagramDnsQueryDecoder(),
                                        new DatagramDnsResponseEncoder(),
                                        new Responder());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** {@code 127.0.0.1:port}, as {@code moderation.dns.servers} takes it. */
    public String server() {
        return "127.0.0.1:" + address().getPort();
    }

    /** Queries received so far. */
    public int queries() {
        return queries.get();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private final class Responder extends SimpleChannelInboundHandler<DatagramDnsQuery> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            queries.incrementAndGet();
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            String name = question.name().toLowerCase(Locale.ROOT);
            if (name.endsWith(".silent.test.")) {
                return;
            }
            var response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.setAuthoritativeAnswer(true);
            response.setRecursionAvailable(true);
            response.addRecord(DnsSection.QUESTION, question);
            DnsRecordType type = question.type();
            if (name.endsWith(".nxdomain.test.")) {
                response.setCode(DnsResponseCode.NXDOMAIN);
            } else if (name.endsWith(".servfail.test.")) {
                response.setCode(DnsResponseCode.SERVFAIL);
            } else if (name.endsWith(".no-mail.test.")) {
                // NOERROR, no records
            } else if (name.endsWith(".null-mx.test.")) {
                if (type.equals(DnsRecordType.MX)) {
                    response.addRecord(
                            DnsSection.ANSWER, record(name, type, Unpooled.wrappedBuffer(new byte[] {0, 0, 0})));
                }
            } else if (type.equals(DnsRecordType.MX) && !name.endsWith(".a-only.test.")) {
                ByteBuf mx = Unpooled.buffer();
                mx.writeShort(10);
                writeName(mx, "mail." + name);
                response.addRecord(DnsSection.ANSWER, record(name, type, mx));
            } else if (type.equals(DnsRecordType.A)) {
                response.addRecord(DnsSection.ANSWER, record(name, type, Unpooled.wrappedBuffer(new byte[] {
                    (byte) 192, 0, 2, 1
                })));
            }
            ctx.writeAndFlush(response);
        }

        private static DefaultDnsRawRecord record(String name, DnsRecordType type, ByteBuf content) {
            return new DefaultDnsRawRecord(name, type, 60, content);
        }

        private static void writeName(ByteBuf out, String name) {
            for (String label : name.split("\\.")) {
                if (label.isEmpty()) {
                    continue;
                }
                byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
                out.writeByte(bytes.length);
                out.writeBytes(bytes);
            }
            out.writeByte(0);
        }
    }
}
