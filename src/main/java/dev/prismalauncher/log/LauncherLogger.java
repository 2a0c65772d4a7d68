package dev.prismalauncher.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/**
 * The launcher's SLF4J logger: one line per event on stderr, as text or JSON, every message and
 * field value passed through {@link Secrets#redact} before it is encoded. Key-value pairs from SLF4J's fluent API become JSON fields
 * ({@code event} names the event; resolve audit events carry migration, strategy, rows).
 */
final class LauncherLogger extends LegacyAbstractLogger implements LoggingEventAware {
    private static final JsonFactory JSON = new JsonFactory();

    /** A library's logger (dotted class-like name such as org.mariadb.jdbc...), not one of ours. */
    private final boolean driver;

    LauncherLogger(String name) {
        this.name = name;
        this.driver = name.contains(".");
    }

    private boolean enabled(Level level) {
        if (driver && level.toInt() < Level.ERROR.toInt() && LogSettings.level().toInt() > Level.DEBUG.toInt()) {
            return false; // drivers warn about normal conditions (unknown database, missing table): only at debug
        }
        return level.toInt() >= LogSettings.level().toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable t) {
        write(level, MessageFormatter.basicArrayFormat(pattern, args), List.of(), t);
    }

    @Override
    public void log(LoggingEvent event) {
        if (!enabled(event.getLevel())) {
            return;
        }
        Object[] args = event.getArgumentArray();
        String message = args == null ? event.getMessage() : MessageFormatter.basicArrayFormat(event.getMessage(), args);
        List<KeyValuePair> pairs = event.getKeyValuePairs() == null ? List.of() : new ArrayList<>(event.getKeyValuePairs());
        write(event.getLevel(), message, pairs, event.getThrowable());
    }

    private void write(Level level, String message, List<KeyValuePair> pairs, Throwable t) {
        String text = message == null ? "" : message;
        if (t != null) {
            text = text + ": " + t;
        }
        // Redact the plain values, then encode: never the other way round (see Secrets).
        text = Secrets.redact(text);
        // Text: one event per line, control characters escaped as in folder names (a migration.sql or a
        // database message cannot forge a line or drive the terminal); only the launcher's own multi-line
        // messages (the evidence table, whose values are escaped where they are made) keep their newlines.
        String line = LogSettings.format() == LogFormat.JSON ? json(level, text, pairs)
                : level + " " + name + " - " + LogText.printableLines(text);
        PrintStream err = System.err;
        synchronized (err) {
            err.println(line);
            err.flush();
        }
    }

    private String json(Level level, String message, List<KeyValuePair> pairs) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("timestamp", Instant.now().toString());
            g.writeStringField("level", level.toString());
            g.writeStringField("logger", name);
            String event = "log";
            for (KeyValuePair p : pairs) {
                if ("event".equals(p.key)) {
                    event = String.valueOf(p.value);
                }
            }
            g.writeStringField("event", event);
            g.writeStringField("message", message);
            for (KeyValuePair p : pairs) {
                if ("event".equals(p.key)) {
                    continue;
                }
                switch (p.value) {
                    case null -> g.writeNullField(p.key);
                    case Number n when n instanceof Integer || n instanceof Long -> g.writeNumberField(p.key, n.longValue());
                    case Boolean b -> g.writeBooleanField(p.key, b);
                    case Iterable<?> items -> {
                        g.writeArrayFieldStart(p.key);
                        for (Object item : items) {
                            g.writeString(Secrets.redact(String.valueOf(item)));
                        }
                        g.writeEndArray();
                    }
                    default -> g.writeStringField(p.key, Secrets.redact(String.valueOf(p.value)));
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            return "{\"level\":\"ERROR\",\"message\":\"cannot write a JSON log line\"}";
        }
        return out.toString();
    }
}
