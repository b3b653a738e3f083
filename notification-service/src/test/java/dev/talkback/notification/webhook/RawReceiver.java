package dev.talkback.notification.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP receiver on a raw socket (127.0.0.1, a free port), answering each request with {@code answer} and then,
 * if asked, trickling one byte every {@code trickleEveryMillis} for ever: what a hostile receiver does to hold a
 * caller. Records the requests' head lines.
 */
final class RawReceiver implements AutoCloseable {

    private final ServerSocket server;
    private final String answer;
    private final long trickleEveryMillis;
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    RawReceiver(String answer, long trickleEveryMillis) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.answer = answer;
        this.trickleEveryMillis = trickleEveryMillis;
        Thread acceptor = new Thread(this::accept, "raw-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    List<String> heads() {
        return heads;
    }

    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                sockets.add(socket);
                heads.add(readRequest(socket.getInputStream()));
                OutputStream out = socket.getOutputStream();
                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (trickleEveryMillis > 0) {
                    trickler.scheduleAtFixedRate(
                            () -> {
                                try {
                                    out.write('x');
                                    out.flush();
                                } catch (IOException ex) {
                                    throw new IllegalStateException("the caller hung up", ex); // ends this trickle
                                }
                            },
                            trickleEveryMillis,
                            trickleEveryMillis,
                            TimeUnit.MILLISECONDS);
                } else {
                    socket.shutdownOutput();
                }
            } catch (IOException ex) {
                // closed, or the caller went away
            }
        }
    }

    /** The request head; the body (Content-Length) is read and dropped. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
            }
        }
        return text;
    }

    @Override
    public void close() throws IOException {
        trickler.shutdownNow();
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
