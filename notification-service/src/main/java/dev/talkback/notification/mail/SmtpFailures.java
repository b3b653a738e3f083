package dev.talkback.notification.mail;

import jakarta.mail.MessagingException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;

/**
 * Sorts a failed send into what to do next. The SMTP reply codes are read from the exceptions Jakarta Mail
 * (Angus) nests inside Spring's {@link MailSendException}; they are recognised by name and read reflectively,
 * because the implementation is only on the runtime class path.
 */
final class SmtpFailures {

    enum Kind {
        /** The server refused the recipient with a 5xx reply: a hard bounce; never retry, mark the address. */
        BOUNCED,
        /** Any other permanent refusal (5xx for the message, or a mail that cannot be built): never retry. */
        PERMANENT,
        /** No connection to the server: retry later, and stop trying the rest of the batch now. */
        UNAVAILABLE,
        /** Anything else (4xx, timeouts during the exchange): retry later. */
        TRANSIENT
    }

    private SmtpFailures() {}

    static Kind classify(Throwable failure) {
        if (failure instanceof MailParseException || failure instanceof MailPreparationException) {
            return Kind.PERMANENT;
        }
        boolean unavailable = false;
        boolean permanent = false;
        Deque<Throwable> todo = new ArrayDeque<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        todo.add(failure);
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (seen.put(t, Boolean.TRUE) != null) {
                continue;
            }
            String name = t.getClass().getSimpleName();
            if (name.equals("SMTPAddressFailedException") && isPermanent(returnCode(t))) {
                return Kind.BOUNCED;
            }
            if (name.equals("SMTPSendFailedException") && isPermanent(returnCode(t))) {
                permanent = true;
            }
            if (name.equals("MailConnectException")
                    || t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || (t instanceof SocketTimeoutException
                            && t.getMessage() != null
                            && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connect"))) {
                unavailable = true;
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            if (t instanceof MessagingException messaging && messaging.getNextException() != null) {
                todo.add(messaging.getNextException());
            }
            if (t instanceof MailSendException send) {
                todo.addAll(send.getFailedMessages().values());
            }
        }
        return permanent ? Kind.PERMANENT : unavailable ? Kind.UNAVAILABLE : Kind.TRANSIENT;
    }

    private static int returnCode(Throwable t) {
        try {
            return (int) t.getClass().getMethod("getReturnCode").invoke(t);
        } catch (ReflectiveOperationException | ClassCastException ex) {
            return -1;
        }
    }

    private static boolean isPermanent(int code) {
        return code >= 500 && code < 600;
    }
}
