package dev.prismalauncher.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** Our SLF4J backend: which lines are written at which level, and what a text or JSON line holds. */
@ExtendWith(FreshSecrets.class)
class LauncherLoggerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void defaults() {
        LogSettings.configure(LogFormat.TEXT, Level.INFO);
    }

    /** What the logger wrote to stderr while {@code body} ran. */
    private static String stderr(LogFormat format, Level level, Runnable body) {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LogSettings.configure(format, level);
        try {
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            body.run();
        } finally {
            System.setErr(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void textLinesNameLevelAndLogger() {
        LauncherLogger log = new LauncherLogger("prisma-launcher");
        String out = stderr(LogFormat.TEXT, Level.INFO, () -> {
            log.info("deploying {} of {}", 2, 3);
            log.warn("careful");
            log.error("failed", new IllegalStateException("boom"));
            log.debug("not shown");
            log.trace("not shown");
        });
        assertEquals("INFO prisma-launcher - deploying 2 of 3\nWARN prisma-launcher - careful\n"
                + "ERROR prisma-launcher - failed: java.lang.IllegalStateException: boom\n", out);
    }

    @Test
    void eachLevelShowsItselfAndAbove() {
        LauncherLogger log = new LauncherLogger("prisma-launcher");
        for (Level threshold : Level.values()) {
            String out = stderr(LogFormat.TEXT, threshold, () -> {
                log.trace("t");
                log.debug("d");
                log.info("i");
                log.warn("w");
                log.error("e");
            });
            long shown = java.util.Arrays.stream(Level.values()).filter(l -> l.toInt() >= threshold.toInt()).count();
            assertEquals(shown, out.lines().count(), threshold + ": " + out);
            LogSettings.configure(LogFormat.TEXT, threshold);
            assertEquals(threshold.toInt() <= Level.TRACE.toInt(), log.isTraceEnabled(), threshold.name());
            assertEquals(threshold.toInt() <= Level.DEBUG.toInt(), log.isDebugEnabled(), threshold.name());
            assertEquals(threshold.toInt() <= Level.INFO.toInt(), log.isInfoEnabled(), threshold.name());
            assertEquals(threshold.toInt() <= Level.WARN.toInt(), log.isWarnEnabled(), threshold.name());
            assertTrue(log.isErrorEnabled());
        }
    }

    /** Drivers warn about normal conditions (an unknown database while it is being created): shown only at debug, errors always. */
    @Test
    void driverLoggersSpeakBelowErrorOnlyAtDebug() {
        LauncherLogger driver = new LauncherLogger("org.postgresql.Driver");
        String info = stderr(LogFormat.TEXT, Level.INFO, () -> {
            driver.warn("database does not exist");
            driver.error("broken");
        });
        assertEquals("ERROR org.postgresql.Driver - broken\n", info);
        assertFalse(driver.isWarnEnabled());
        String debug = stderr(LogFormat.TEXT, Level.DEBUG, () -> driver.warn("database does not exist"));
        assertEquals("WARN org.postgresql.Driver - database does not exist\n", debug);
        assertTrue(driver.isWarnEnabled());
        assertFalse(stderr(LogFormat.TEXT, Level.TRACE, () -> driver.trace("x")).isEmpty(), "trace is below debug: shown");
    }

    @Test
    void jsonLinesCarryTheEventAndItsFieldsTyped() throws Exception {
        LauncherLogger log = new LauncherLogger("prisma-launcher");
        String out = stderr(LogFormat.JSON, Level.INFO, () -> {
            log.atInfo().addKeyValue("event", "resolve").addKeyValue("migration", "20250101_a").addKeyValue("rows", 2)
                    .addKeyValue("big", 5_000_000_000L).addKeyValue("ratio", 0.5).addKeyValue("dry", true).addKeyValue("none", (Object) null)
                    .addKeyValue("names", List.of("a", "b")).log("resolved {}", "20250101_a");
            log.warn("plain");
            log.atDebug().log("not shown");
            log.atError().setCause(new IllegalStateException("boom")).log("failed");
        });
        List<String> lines = out.lines().toList();
        assertEquals(3, lines.size(), out);
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals("INFO", first.get("level").asText());
        assertEquals("prisma-launcher", first.get("logger").asText());
        assertEquals("resolve", first.get("event").asText());
        assertEquals("resolved 20250101_a", first.get("message").asText());
        assertEquals("20250101_a", first.get("migration").asText());
        assertTrue(first.get("rows").isIntegralNumber());
        assertEquals(2, first.get("rows").asInt());
        assertEquals(5_000_000_000L, first.get("big").asLong());
        assertEquals("0.5", first.get("ratio").asText(), "other numbers are strings");
        assertTrue(first.get("ratio").isTextual());
        assertTrue(first.get("dry").isBoolean());
        assertTrue(first.get("none").isNull());
        assertEquals(JSON.readTree("[\"a\",\"b\"]"), first.get("names"));
        assertTrue(first.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), first.get("timestamp").asText());
        assertEquals(List.of("timestamp", "level", "logger", "event", "message", "migration", "rows", "big", "ratio", "dry", "none", "names"),
                fieldNames(first), "event is written once, before the message");
        JsonNode plain = JSON.readTree(lines.get(1));
        assertEquals("log", plain.get("event").asText());
        assertEquals("WARN", plain.get("level").asText());
        assertEquals("failed: java.lang.IllegalStateException: boom", JSON.readTree(lines.get(2)).get("message").asText());
    }

    @Test
    void everyFieldIsRedactedBeforeItIsEncoded() throws Exception {
        String pw = "Fi3ld-Secret-Pw";
        Secrets.register(pw);
        LauncherLogger log = new LauncherLogger("prisma-launcher");
        String out = stderr(LogFormat.JSON, Level.INFO, () -> log.atWarn().addKeyValue("url", "postgresql://u:" + pw + "@h/db")
                .addKeyValue("list", List.of(pw)).addKeyValue("other", new StringBuilder(pw)).log("with {}", pw));
        assertFalse(out.contains(pw), out);
        JsonNode n = JSON.readTree(out);
        assertEquals("with ***", n.get("message").asText());
        assertEquals("postgresql://u:***@h/db", n.get("url").asText());
        assertEquals("***", n.get("list").get(0).asText());
        assertEquals("***", n.get("other").asText());
        assertEquals("WARN prisma-launcher - with ***\n", stderr(LogFormat.TEXT, Level.INFO, () -> log.warn("with {}", pw)));
    }

    @Test
    void theServiceProviderHandsOutOneLoggerPerName() {
        assertTrue(LoggerFactory.getLogger("prisma-launcher") instanceof LauncherLogger);
        assertTrue(LoggerFactory.getLogger("prisma-launcher") == LoggerFactory.getLogger("prisma-launcher"));
        assertEquals("org.x.Y", LoggerFactory.getLogger("org.x.Y").getName());
        LauncherLoggerProvider p = new LauncherLoggerProvider();
        p.initialize();
        assertEquals("2.0.99", p.getRequestedApiVersion());
        assertTrue(p.getLoggerFactory().getLogger("a") == p.getLoggerFactory().getLogger("a"));
        assertTrue(p.getMarkerFactory() != null && p.getMDCAdapter() != null);
    }

    @Test
    void logLevelAndFormatSettings() {
        assertEquals(Level.INFO, LogSettings.parseLevel("LOG_LEVEL", null));
        assertEquals(Level.INFO, LogSettings.parseLevel("LOG_LEVEL", " "));
        assertEquals(Level.INFO, LogSettings.parseLevel("LOG_LEVEL", "Info"));
        assertEquals(Level.TRACE, LogSettings.parseLevel("LOG_LEVEL", "trace"));
        assertEquals(Level.DEBUG, LogSettings.parseLevel("LOG_LEVEL", " DEBUG "));
        assertEquals(Level.WARN, LogSettings.parseLevel("LOG_LEVEL", "warn"));
        assertEquals(Level.WARN, LogSettings.parseLevel("LOG_LEVEL", "warning"));
        assertEquals(Level.ERROR, LogSettings.parseLevel("LOG_LEVEL", "error"));
        LauncherException level = assertThrows(LauncherException.class, () -> LogSettings.parseLevel("--log-level", "loud"));
        assertEquals(ExitCode.USAGE, level.exitCode());
        assertEquals("--log-level='loud' is not a log level: use debug, info, warn or error", level.getMessage());
        assertEquals(LogFormat.TEXT, LogFormat.parse("LOG_FORMAT", null));
        assertEquals(LogFormat.TEXT, LogFormat.parse("LOG_FORMAT", ""));
        assertEquals(LogFormat.TEXT, LogFormat.parse("LOG_FORMAT", "Text"));
        assertEquals(LogFormat.JSON, LogFormat.parse("LOG_FORMAT", " JSON "));
        LauncherException format = assertThrows(LauncherException.class, () -> LogFormat.parse("LOG_FORMAT", "xml"));
        assertEquals(ExitCode.USAGE, format.exitCode());
        assertEquals("LOG_FORMAT='xml' is not a log format: use text or json", format.getMessage());
        LogSettings.configure(LogFormat.JSON, Level.WARN);
        assertEquals(LogFormat.JSON, LogSettings.format());
        assertEquals(Level.WARN, LogSettings.level());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
