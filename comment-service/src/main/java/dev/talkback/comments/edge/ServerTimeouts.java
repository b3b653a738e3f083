package dev.talkback.comments.edge;

import dev.talkback.comments.CommentsProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The server's timeouts on requests that arrive slowly, next to {@code server.netty.idle-timeout} (a connection that
 * sends nothing between requests): a request head that is not complete {@code comments.timeouts.request-head} after
 * its first byte ({@link RequestHeadDeadline}), a body not complete {@code .body} after the head (reactor-netty's
 * request timeout: a body that stops or trickles in). Neither applies to a response: a live stream stays open as long
 * as it is written to.
 */
@Configuration(proxyBeanMethods = false)
class ServerTimeouts {

    @Bean
    NettyServerCustomizer requestTimeouts(CommentsProperties properties) {
        CommentsProperties.Timeouts timeouts = properties.timeouts();
        return server -> server.requestTimeout(timeouts.body())
                .doOnChannelInit((observer, channel, remote) ->
                        RequestHeadDeadline.install(channel.pipeline(), timeouts.requestHead()));
    }
}
