package dev.talkback.notification.webhook;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import reactor.core.scheduler.Scheduler;

/**
 * Name resolution for the webhook client that checks what it resolves: a host with any address the
 * {@link Destinations} refuse fails to resolve, with {@link DestinationNotAllowedException}. The connection then goes
 * to the very address checked (resolution and connection are one step), so a DNS answer that changes between a
 * check and the connection (DNS rebinding) cannot send it elsewhere; the request keeps the host name for the
 * {@code Host} header and TLS (SNI, certificate check). The blocking system lookup runs on {@code lookups}, never
 * on an event loop.
 */
final class CheckedResolverGroup extends AddressResolverGroup<InetSocketAddress> {

    /** Resolves a host name to its addresses (the system resolver in production). */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] all(String host) throws UnknownHostException;
    }

    /** Thrown instead of an address when the host resolves to an address that is not allowed. */
    static final class DestinationNotAllowedException extends UnknownHostException {

        DestinationNotAllowedException() {
            super(Destinations.NOT_ALLOWED);
        }
    }

    private final Lookup lookup;
    private final Destinations destinations;
    private final Scheduler lookups;

    CheckedResolverGroup(Lookup lookup, Destinations destinations, Scheduler lookups) {
        this.lookup = lookup;
        this.destinations = destinations;
        this.lookups = lookups;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new InetSocketAddressResolver(executor, new InetNameResolver(executor) {

            @Override
            protected void doResolve(String host, Promise<InetAddress> promise) {
                resolveLater(host, promise, addresses -> addresses.get(0));
            }

            @Override
            protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
                resolveLater(host, promise, addresses -> addresses);
            }
        });
    }

    private <T> void resolveLater(String host, Promise<T> promise, Function<List<InetAddress>, T> answer) {
        lookups.schedule(() -> {
            try {
                promise.trySuccess(answer.apply(checked(host)));
            } catch (UnknownHostException | RuntimeException ex) {
                promise.tryFailure(ex);
            }
        });
    }

    /** All addresses of the host, if every one is allowed (a name mixing public and internal ones is refused). */
    List<InetAddress> checked(String host) throws UnknownHostException {
        List<InetAddress> addresses = Arrays.asList(lookup.all(host));
        if (addresses.isEmpty()) {
            throw new UnknownHostException("no address");
        }
        if (!addresses.stream().allMatch(destinations::allowed)) {
            throw new DestinationNotAllowedException();
        }
        return addresses;
    }
}
