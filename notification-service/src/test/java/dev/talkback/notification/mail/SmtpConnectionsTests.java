package dev.talkback.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The kept-open SMTP connections against a real SMTP server (GreenMail), seen through a relay that counts the
 * connections opened to it and closes them on demand (as a server that drops an idle session does).
 */
class SmtpConnectionsTests {

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private final AtomicLong clock = new AtomicLong();
    private Relay relay;
    private SmtpConnections connections;
    private Mailer mailer;

    @BeforeEach
    void open() {
        relay = new Relay(smtp.getSmtp().getPort());
        connections = new SmtpConnections(server(relay.port()), Duration.ofSeconds(30), clock::get);
        mailer = new Mailer(
                connections, MailAddresses.configured("test", "Daily Example <comments@news.example>"), null);
    }

    @AfterEach
    void close() {
        connections.close();
        relay.close();
    }

    @Test
    void consecutiveMailsShareOneConnection() {
        for (int i = 0; i < 20; i++) {
            mailer.send(mail(i));
        }
        assertThat(smtp.getReceivedMessages()).hasSize(20);
        assertThat(relay.opened.get()).isEqualTo(1);
    }

    @Test
    void concurrentSendersOpenOneConnectionEachAtMost() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                sends.add(workers.submit(() -> mailer.send(mail(n))));
            }
            for (Future<?> send : sends) {
                send.get();
            }
        } finally {
            workers.shutdownNow();
        }
        assertThat(smtp.getReceivedMessages()).hasSize(200);
        assertThat(relay.opened.get()).isBetween(1, 4);
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        mailer.send(mail(1));
        clock.addAndGet(Duration.ofSeconds(29).toNanos());
        mailer.closeIdleConnections();
        assertThat(connections.idleCount()).isEqualTo(1);

        clock.addAndGet(Duration.ofSeconds(2).toNanos());
        mailer.closeIdleConnections();
        assertThat(connections.idleCount()).isZero();
        relay.awaitClosed(1);
        mailer.send(mail(2));
        assertThat(relay.opened.get()).isEqualTo(2);
    }

    @Test
    void aConnectionTheServerDroppedIsCheckedBeforeUseAndReplaced() {
        mailer.send(mail(1));
        relay.dropAll();
        clock.addAndGet(Duration.ofSeconds(6).toNanos()); // idle long enough to be checked with a NOOP first
        mailer.send(mail(2));
        assertThat(smtp.getReceivedMessages()).hasSize(2);
        assertThat(relay.opened.get()).isEqualTo(2);
    }

    @Test
    void aSendThatFailsOnADroppedConnectionIsRetriedLaterAndTheNextOneReconnects() {
        mailer.send(mail(1));
        relay.dropAll(); // dropped right after use: not checked, the send finds out

        Throwable failure = catchThrowable(() -> mailer.send(mail(2)));
        assertThat(failure).isInstanceOf(MailSendException.class);
        assertThat(SmtpFailures.classify(failure)).isEqualTo(SmtpFailures.Kind.TRANSIENT);

        mailer.send(mail(3));
        assertThat(smtp.getReceivedMessages()).hasSize(2);
        assertThat(relay.opened.get()).isEqualTo(2);
    }

    @Test
    void noServerMeansUnavailable() {
        int port = relay.port();
        relay.close();
        var unreachable = new SmtpConnections(server(port), Duration.ofSeconds(30));
        Throwable failure = catchThrowable(() -> unreachable.send(unreachable.createMimeMessage()));
        assertThat(SmtpFailures.classify(failure)).isEqualTo(SmtpFailures.Kind.UNAVAILABLE);
    }

    private static OutgoingMail mail(int n) {
        return new OutgoingMail(
                MailAddresses.configured("test", "reader" + n + "@example.org"),
                "Published",
                "text",
                "<p>html</p>",
                null,
                "comment-published:c-" + n + ":mail:ab");
    }

    private static JavaMailSenderImpl server(int port) {
        var sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(port);
        return sender;
    }

    /** A TCP relay to the SMTP server that counts the connections made to it and can cut them all. */
    static final class Relay implements AutoCloseable {

        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        private final ServerSocket listener;
        private final List<Socket> sockets = new ArrayList<>();
        private final ExecutorService pumps = Executors.newCachedThreadPool();

        Relay(int target) {
            try {
                listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            pumps.submit(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                        opened.incrementAndGet();
                        synchronized (sockets) {
                            sockets.add(client);
                            sockets.add(server);
                        }
                        pumps.submit(() -> pump(client, server));
                        pumps.submit(() -> pump(server, client));
                    } catch (IOException ex) {
                        return;
                    }
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        private void pump(Socket from, Socket to) {
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // cut
            } finally {
                closeQuietly(to);
                if (from == to) {
                    return;
                }
                closeQuietly(from);
                closed.incrementAndGet();
            }
        }

        void dropAll() {
            synchronized (sockets) {
                sockets.forEach(Relay::closeQuietly);
                sockets.clear();
            }
        }

        void awaitClosed(int connections) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            // each connection's two pumps end when it is closed
            while (closed.get() < 2 * connections && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(closed.get()).isGreaterThanOrEqualTo(2 * connections);
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        @Override
        public void close() {
            try {
                listener.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            dropAll();
            pumps.shutdownNow();
        }
    }
}
