package dev.talkback.notification.mail;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * SMTP connections kept open between mails: opening one costs a TCP (and often TLS) handshake, the greeting,
 * {@code EHLO} and authentication, several times the cost of the mail itself. Each outbox worker borrows a connection
 * for one mail and gives it back; so there are at most as many open connections as workers. A connection is closed
 * when a send on it failed in any way (its state is then unknown), after {@link #MAX_MAILS_PER_CONNECTION} mails
 * (some servers limit a session), and when it has been idle for {@code idleTimeout} (servers drop idle sessions
 * after a few minutes, RFC 5321 §4.5.3.2.7); a connection idle for more than a few seconds is checked with a
 * {@code NOOP} before it is used again.
 *
 * <p>The server, credentials and session properties are Spring's ({@code spring.mail.*}), read from its
 * {@link JavaMailSenderImpl}, so the connections are set up exactly as Spring's own sender would set them up.
 */
final class SmtpConnections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SmtpConnections.class);
    static final int MAX_MAILS_PER_CONNECTION = 1000;
    /** Idle longer than this, a connection is checked ({@code NOOP}) before it is used again. */
    private static final long CHECK_AFTER_IDLE_NANOS = Duration.ofSeconds(5).toNanos();

    private final JavaMailSenderImpl server;
    private final long idleTimeoutNanos;
    private final LongSupplier nanoTime;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    SmtpConnections(JavaMailSenderImpl server, Duration idleTimeout) {
        this(server, idleTimeout, System::nanoTime);
    }

    SmtpConnections(JavaMailSenderImpl server, Duration idleTimeout, LongSupplier nanoTime) {
        this.server = server;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.nanoTime = nanoTime;
    }

    /** A message built on the connections' session. */
    MimeMessage createMimeMessage() {
        return server.createMimeMessage();
    }

    /**
     * Sends one message over a kept-open connection (opening one if none is idle). Keeps a {@code Message-ID} set
     * beforehand, as Spring's sender does.
     *
     * @throws MailSendException when no connection could be opened (its cause says why) or the server refused or
     *     dropped the message; the connection is then closed
     */
    void send(MimeMessage message) {
        Connection connection = borrow();
        try {
            if (message.getSentDate() == null) {
                message.setSentDate(new Date());
            }
            String messageId = message.getMessageID();
            message.saveChanges();
            if (messageId != null) {
                message.setHeader("Message-ID", messageId);
            }
            Address[] recipients = message.getAllRecipients();
            connection.transport.sendMessage(message, recipients == null ? new Address[0] : recipients);
        } catch (MessagingException | RuntimeException ex) {
            connection.close();
            throw new MailSendException("The mail server did not accept the message", ex);
        }
        connection.mails++;
        giveBack(connection);
    }

    /** Closes the connections idle for longer than the idle timeout; called when the outbox has nothing to send. */
    void closeIdle() {
        List<Connection> stale = new ArrayList<>();
        long now = nanoTime.getAsLong();
        synchronized (this) {
            idle.removeIf(connection -> {
                boolean old = now - connection.lastUsed > idleTimeoutNanos;
                if (old) {
                    stale.add(connection);
                }
                return old;
            });
        }
        stale.forEach(Connection::close);
    }

    /** Connections open and idle now (for tests). */
    synchronized int idleCount() {
        return idle.size();
    }

    @Override
    public void close() {
        List<Connection> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(idle);
            idle.clear();
        }
        open.forEach(Connection::close);
    }

    private Connection borrow() {
        closeIdle();
        while (true) {
            Connection connection;
            synchronized (this) {
                connection = idle.pollFirst(); // the most recently used: the likeliest to be alive
            }
            if (connection == null) {
                return open();
            }
            if (nanoTime.getAsLong() - connection.lastUsed <= CHECK_AFTER_IDLE_NANOS
                    || connection.transport.isConnected()) { // SMTP's isConnected() sends a NOOP
                return connection;
            }
            connection.close();
        }
    }

    private void giveBack(Connection connection) {
        connection.lastUsed = nanoTime.getAsLong();
        boolean keep;
        synchronized (this) {
            keep = !closed && connection.mails < MAX_MAILS_PER_CONNECTION;
            if (keep) {
                idle.addFirst(connection);
            }
        }
        if (!keep) {
            connection.close();
        }
    }

    /** Connects as {@link JavaMailSenderImpl} does: an empty user name or password means none. */
    private Connection open() {
        String username = server.getUsername();
        String password = server.getPassword();
        if ("".equals(username)) {
            username = null;
            if ("".equals(password)) {
                password = null;
            }
        }
        Transport transport;
        try {
            String protocol = server.getProtocol();
            if (protocol == null) {
                protocol = server.getSession().getProperty("mail.transport.protocol");
            }
            transport = server.getSession().getTransport(protocol == null ? "smtp" : protocol);
        } catch (MessagingException ex) {
            throw new MailSendException("No mail transport", ex);
        }
        try {
            transport.connect(server.getHost(), server.getPort(), username, password);
        } catch (MessagingException | RuntimeException ex) {
            throw new MailSendException("Mail server connection failed", ex);
        }
        return new Connection(transport);
    }

    private final class Connection {

        final Transport transport;
        int mails;
        long lastUsed = nanoTime.getAsLong();

        Connection(Transport transport) {
            this.transport = transport;
        }

        void close() {
            try {
                transport.close();
            } catch (MessagingException | RuntimeException ex) {
                log.debug(
                        "Closing an SMTP connection failed ({})", ex.getClass().getName());
            }
        }
    }
}
