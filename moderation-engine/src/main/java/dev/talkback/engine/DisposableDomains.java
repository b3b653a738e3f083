package dev.talkback.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Domains of throwaway-mailbox providers: the shipped list (disposable-email-domains, CC0; see NOTICE.md) plus
 * extra lists a deployment configures, minus an allow-list. A subdomain of a listed domain counts as listed.
 */
public final class DisposableDomains {

    private final Set<String> listed;
    private final Set<String> allowed;

    private DisposableDomains(Set<String> listed, Set<String> allowed) {
        this.listed = listed;
        this.allowed = allowed;
    }

    /** The shipped list, read once. */
    public static DisposableDomains shipped() {
        return Shipped.LIST;
    }

    /** The shipped list plus {@code extra}, with {@code allowed} (and their subdomains) exempt. */
    public static DisposableDomains of(Collection<String> extra, Collection<String> allowed) {
        Set<String> all = new HashSet<>(Shipped.LIST.listed);
        extra.forEach(d -> all.add(clean(d)));
        Set<String> allow = new HashSet<>();
        allowed.forEach(d -> allow.add(clean(d)));
        return new DisposableDomains(Set.copyOf(all), Set.copyOf(allow));
    }

    /** Reads a list: one domain a line, {@code #} comments and blank lines ignored. */
    public static Set<String> read(InputStream in) throws IOException {
        Set<String> out = new HashSet<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            String d = clean(line);
            if (!d.isEmpty() && !d.startsWith("#")) {
                out.add(d);
            }
        }
        return out;
    }

    public boolean isDisposable(String domain) {
        String d = clean(domain);
        for (String suffix = d; ; ) {
            if (allowed.contains(suffix)) {
                return false;
            }
            if (listed.contains(suffix)) {
                return true;
            }
            int dot = suffix.indexOf('.');
            if (dot < 0) {
                return false;
            }
            suffix = suffix.substring(dot + 1);
        }
    }

    public int size() {
        return listed.size();
    }

    private static String clean(String domain) {
        String d = domain.trim().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    private static final class Shipped {
        static final DisposableDomains LIST = load();

        private static DisposableDomains load() {
            try (InputStream in =
                    DisposableDomains.class.getResourceAsStream("email/disposable_email_blocklist.conf")) {
                if (in == null) {
                    throw new IllegalStateException("missing resource email/disposable_email_blocklist.conf");
                }
                return new DisposableDomains(Set.copyOf(read(in)), Set.of());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
