package dev.prismalauncher.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every password the launcher learns is registered here, and every text that leaves the process
 * (log lines, error messages, Prisma's output, JSON values) passes through {@link #redact}
 * <em>before</em> it is encoded: redacting encoded JSON would miss a password holding {@code "}
 * or {@code \} (it is escaped there) and could break the document.
 *
 * <p>Secrets are masked where they occur as secrets: a URL's userinfo, the value after
 * {@code password=} / {@code sslpassword=}, a JSON {@code "password"} member. A registered secret
 * is masked anywhere else only when it is distinctive enough not to be ordinary text: with the dev
 * default {@code postgres:postgres}, blind replacement turned {@code "postgresql"} into
 * {@code "***ql"}, and a password {@code true} made JSON invalid.
 */
public final class Secrets {
    private static final Set<String> SECRETS = new CopyOnWriteArraySet<>();
    public static final String MASK = "***";
    private static final JsonFactory JSON = new JsonFactory();

    /** scheme://user:PASSWORD@ — the password is masked whoever registered it (drivers echo URLs). */
    private static final Pattern URL_USERINFO = Pattern.compile("(://[^\\s/?#@:]*:)([^\\s@/]+)@");
    /** password=VALUE, sslpassword=VALUE (URL query, JDBC properties, key=value connection strings). */
    private static final Pattern KEY_VALUE = Pattern.compile("(?i)(\\b(?:ssl)?password=)([^&\\s;,)]+)");
    /** "password":"VALUE" in JSON a driver or Prisma printed. */
    private static final Pattern JSON_MEMBER = Pattern.compile("(?i)(\"(?:ssl)?password\"\\s*:\\s*\")((?:[^\"\\\\]|\\\\.)*)\"");

    /** Registers a secret in its plain and percent-encoded spellings. */
    public static void register(String secret) {
        if (secret == null || secret.isEmpty()) {
            return;
        }
        SECRETS.add(secret);
        SECRETS.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        SECRETS.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /**
     * Registers the password of every URL in the text ({@code scheme://user:PASSWORD@}), as written
     * and percent-decoded: a prisma.config may read any variable, and what its loader prints when it
     * fails may hold a password decoded, where no URL pattern finds it.
     */
    public static void registerUrlPasswords(String text) {
        if (text == null) {
            return;
        }
        Matcher m = URL_USERINFO.matcher(text);
        while (m.find()) {
            String raw = m.group(2);
            register(raw);
            register(percentDecoded(raw));
        }
    }

    /** %XX sequences decoded as UTF-8 ('+' stays: userinfo is not a form); null when malformed. */
    private static String percentDecoded(String raw) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0 || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    return null;
                }
                bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Forgets every registered secret: for tests, so that none passes on what another test registered. */
    static void forgetAll() {
        SECRETS.clear();
    }

    /** Plain text in, plain text out; encode (JSON, termination log) only after this. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = mask(URL_USERINFO, text);
        out = mask(KEY_VALUE, out);
        out = mask(JSON_MEMBER, out);
        for (String secret : SECRETS) {
            if (distinctive(secret) && out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }

    /**
     * A JSON document with every string (member names and values) redacted as plain text and
     * encoded again: the document stays valid and an escaped password cannot slip through.
     */
    public static String redactJson(String json, boolean pretty) {
        StringWriter out = new StringWriter(json.length());
        try (JsonParser in = JSON.createParser(json); JsonGenerator g = JSON.createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            for (JsonToken t = in.nextToken(); t != null; t = in.nextToken()) {
                switch (t) {
                    case FIELD_NAME -> g.writeFieldName(redact(in.currentName()));
                    case VALUE_STRING -> g.writeString(redact(in.getText()));
                    default -> g.copyCurrentEvent(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Long enough, or mixed enough, that finding it in text means it is the secret: 16+ characters,
     * or 8+ drawing on at least two of lower case, upper case, digits and other characters, or any
     * holding a quote or backslash.
     */
    static boolean distinctive(String secret) {
        if (secret.length() >= 16 || (secret.length() >= 2 && (secret.indexOf('"') >= 0 || secret.indexOf('\\') >= 0))) {
            return true; // a quote or backslash is never ordinary log text, and JSON would escape it
        }
        if (secret.length() < 8) {
            return false;
        }
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean other = false;
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c >= 'a' && c <= 'z') {
                lower = true;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else {
                other = true;
            }
        }
        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0) >= 2;
    }

    private static String mask(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        do {
            if (m.group(2).equals("password") || m.group(2).equals(MASK)) {
                continue; // a placeholder in a usage hint, or already masked
            }
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + MASK + (pattern == URL_USERINFO ? "@" : pattern == JSON_MEMBER ? "\"" : "")));
        } while (m.find());
        m.appendTail(b);
        return b.toString();
    }

    private Secrets() {}
}
