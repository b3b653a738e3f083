package dev.talkback.localstack;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Address;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * GreenMail as an SMTP server that accepts every mail, plus a small HTTP API to read what it received:
 * {@code GET /api/messages} answers a JSON array of {@code {from, to, subject, body, html, receivedAt}}, oldest first
 * ({@code body} is the text/plain part, or the HTML if there is no text part; line ends as {@code \n});
 * {@code DELETE /api/messages}
 * forgets all mails. Mails live in memory only, the newest {@link #KEPT} of them: a benchmark that sends a hundred
 * thousand mails must not fill the launcher's heap (one GreenMail account and mailbox per recipient).
 */
public final class MailCatcher implements AutoCloseable {

    static final String MESSAGES_PATH = "/api/messages";
    /** Mails kept, the newest; older ones (and accounts left without mail) are forgotten every few seconds. */
    static final int KEPT = 1_000;

    private final GreenMail greenMail;
    private final HttpServer http;
    private final ScheduledExecutorService trimmer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mail-catcher-trim");
        thread.setDaemon(true);
        return thread;
    });

    private MailCatcher(GreenMail greenMail, HttpServer http) {
        this.greenMail = greenMail;
        this.http = http;
        trimmer.scheduleWithFixedDelay(this::trimQuietly, 2, 2, TimeUnit.SECONDS);
    }

    /** Starts SMTP on {@code smtpPort} and the HTTP API on {@code httpPort}, both on {@code host}. */
    public static MailCatcher start(String host, int smtpPort, int httpPort) throws IOException {
        // GreenMail parses every mail with Jakarta Mail, which otherwise looks its stream provider up with a
        // ServiceLoader for each part (jakartaee/mail-api#861): named, it is one class load
        System.getProperties()
                .putIfAbsent("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
        GreenMail greenMail = new GreenMail(new ServerSetup(smtpPort, host, ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(host, httpPort), 0);
        } catch (IOException ex) {
            greenMail.stop();
            throw new IOException("Mail API cannot listen on " + host + ":" + httpPort, ex);
        }
        MailCatcher catcher = new MailCatcher(greenMail, http);
        http.createContext(MESSAGES_PATH, catcher::handleMessages);
        http.start();
        return catcher;
    }

    /** The SMTP port. */
    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    /** The HTTP port of the mail API. */
    public int httpPort() {
        return http.getAddress().getPort();
    }

    /** The received mails as the API shows them. */
    public List<Map<String, Object>> messages() {
        List<StoredMessage> stored =
                new ArrayList<>(greenMail.getManagers().getImapHostManager().getAllMessages());
        stored.sort(
                Comparator.comparing(StoredMessage::getReceivedDate, Comparator.nullsFirst(Comparator.naturalOrder())));
        List<Map<String, Object>> result = new ArrayList<>();
        for (StoredMessage message : stored) {
            result.add(describe(message.getMimeMessage(), message.getReceivedDate()));
        }
        return result;
    }

    /** Forgets all but the newest {@code kept} mails, and the accounts left without any. */
    synchronized void trim(int kept) throws FolderException {
        var imap = greenMail.getManagers().getImapHostManager();
        record Kept(GreenMailUser user, MailFolder inbox, StoredMessage message) {}
        List<Kept> all = new ArrayList<>();
        for (GreenMailUser user : new ArrayList<>(greenMail.getUserManager().listUser())) {
            MailFolder inbox = imap.getInbox(user);
            for (StoredMessage message : inbox.getMessages()) {
                all.add(new Kept(user, inbox, message));
            }
        }
        if (all.size() <= kept) {
            return;
        }
        all.sort(Comparator.comparing(
                (Kept k) -> k.message().getReceivedDate(), Comparator.nullsFirst(Comparator.naturalOrder())));
        Set<MailFolder> expunge = new HashSet<>();
        for (Kept old : all.subList(0, all.size() - kept)) {
            old.inbox()
                    .setFlags(new Flags(Flags.Flag.DELETED), true, old.message().getUid(), null, false);
            expunge.add(old.inbox());
        }
        for (MailFolder inbox : expunge) {
            inbox.expunge();
        }
        for (Kept old : all.subList(0, all.size() - kept)) {
            if (old.inbox().getMessageCount() == 0) {
                greenMail.getUserManager().deleteUser(old.user());
            }
        }
    }

    private void trimQuietly() {
        try {
            trim(KEPT);
        } catch (FolderException | RuntimeException ex) {
            // a mail arriving meanwhile, most likely; the next round trims
        }
    }

    /** Forgets all received mails. */
    public void clear() {
        try {
            greenMail.purgeEmailFromAllMailboxes();
        } catch (FolderException ex) {
            throw new IllegalStateException("Cannot clear the mailboxes", ex);
        }
    }

    @Override
    public void close() {
        trimmer.shutdownNow();
        try {
            http.stop(0);
        } finally {
            greenMail.stop();
        }
    }

    private void handleMessages(HttpExchange exchange) throws IOException {
        try (exchange) {
            switch (exchange.getRequestMethod()) {
                case "GET" -> respond(exchange, 200, Json.write(messages()));
                case "DELETE" -> {
                    clear();
                    exchange.sendResponseHeaders(204, -1);
                }
                default -> {
                    exchange.getResponseHeaders().set("Allow", "GET, DELETE");
                    respond(exchange, 405, Json.write(Map.of("error", "use GET or DELETE")));
                }
            }
        } catch (RuntimeException ex) {
            respond(exchange, 500, Json.write(Map.of("error", String.valueOf(ex.getMessage()))));
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, Object> describe(MimeMessage message, Date receivedDate) {
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            result.put("from", first(message.getFrom()));
            result.put("to", all(message.getRecipients(Message.RecipientType.TO)));
            result.put("subject", message.getSubject());
            String text = findPart(message, "text/plain");
            String html = findPart(message, "text/html");
            result.put("body", unixLineEnds(text != null ? text : html));
            result.put("html", unixLineEnds(html));
        } catch (MessagingException | IOException ex) {
            result.put("error", "unreadable message: " + ex.getMessage());
        }
        result.put(
                "receivedAt",
                receivedDate == null
                        ? null
                        : Instant.ofEpochMilli(receivedDate.getTime()).toString());
        return result;
    }

    /** The content of the first part of the given type, depth first, or null. */
    static String findPart(Part part, String mimeType) throws MessagingException, IOException {
        if (part.isMimeType(mimeType)) {
            Object content = part.getContent();
            if (content instanceof String string) {
                return string;
            }
            if (content instanceof InputStream in) {
                try (in) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return String.valueOf(content);
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                String found = findPart(multipart.getBodyPart(i), mimeType);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static String unixLineEnds(String text) {
        return text == null ? null : text.replace("\r\n", "\n");
    }

    private static String first(Address[] addresses) {
        return addresses == null || addresses.length == 0 ? null : addresses[0].toString();
    }

    private static List<String> all(Address[] addresses) {
        List<String> result = new ArrayList<>();
        if (addresses != null) {
            for (Address address : addresses) {
                result.add(address.toString());
            }
        }
        return result;
    }
}
