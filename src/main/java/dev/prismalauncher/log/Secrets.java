package dev.prismalauncher.log;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Every password the launcher learns is registered here, and every text that leaves the process
 * (log lines, error messages, Prisma's output, JSON) passes through {@link #redact}. Drivers put
 * URLs and sometimes credentials into exception messages; this is the one place that stops them.
 */
public final class Secrets {
    private static final Set<String> SECRETS = new CopyOnWriteArraySet<>();
    public static final String MASK = "***";

    /** Registers a secret in its plain and percent-encoded spellings. */
    public static void register(String secret) {
        if (secret == null || secret.isEmpty()) {
            return;
        }
        SECRETS.add(secret);
        SECRETS.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        SECRETS.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    public static String redact(String text) {
        if (text == null || SECRETS.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : SECRETS) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }

    private Secrets() {}
}
