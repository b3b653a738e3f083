package dev.talkback.comments.edge;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.NettyPipeline;

/**
 * Closes a connection whose request line and headers are not complete within the deadline after their first byte.
 * The idle timeout does not do it: every byte restarts it, so a client sending a header byte every few seconds holds a
 * connection for hours (slowloris); reactor-netty's read and request timeouts only start once the head is in.
 * <p>
 * Two handlers share the state of one connection (all on its event loop): one before the HTTP codec sees the bytes
 * arrive and starts the clock, one after it sees the decoded head and stops it; the end of the request's body makes
 * the next bytes those of a new head.
 */
final class RequestHeadDeadline {

    private static final Logger log = LoggerFactory.getLogger(RequestHeadDeadline.class);

    private final long nanos;
    private boolean awaitingHead = true;
    private @Nullable ScheduledFuture<?> clock;

    private RequestHeadDeadline(Duration deadline) {
        this.nanos = deadline.toNanos();
    }

    /** Adds the deadline to an HTTP/1.1 connection's pipeline (one without the HTTP/1.1 codec is left alone). */
    static void install(ChannelPipeline pipeline, Duration deadline) {
        if (pipeline.get(NettyPipeline.HttpCodec) == null) {
            return;
        }
        RequestHeadDeadline state = new RequestHeadDeadline(deadline);
        pipeline.addFirst("talkback.requestHeadBytes", state.new Bytes());
        pipeline.addAfter(NettyPipeline.HttpCodec, "talkback.requestHead", state.new Head());
    }

    private void stop() {
        if (clock != null) {
            clock.cancel(false);
            clock = null;
        }
    }

    /** Bytes of the connection, before decoding: the first ones of a head start the clock. */
    private final class Bytes extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (awaitingHead && clock == null) {
                clock = ctx.executor()
                        .schedule(
                                () -> {
                                    log.debug(
                                            "Closing a connection from {}: no complete request head within {} ms",
                                            ctx.channel().remoteAddress(),
                                            TimeUnit.NANOSECONDS.toMillis(nanos));
                                    ctx.channel().close();
                                },
                                nanos,
                                TimeUnit.NANOSECONDS);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            stop();
            ctx.fireChannelInactive();
        }
    }

    /** Decoded messages: a head stops the clock; the end of its body makes the next bytes a new head. */
    private final class Head extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                stop();
                awaitingHead = false;
            }
            if (msg instanceof LastHttpContent) {
                awaitingHead = true;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
