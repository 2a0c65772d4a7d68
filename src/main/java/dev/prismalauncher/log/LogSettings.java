package dev.prismalauncher.log;

import java.util.Locale;
import org.slf4j.event.Level;

/** The two knobs of the log backend, set once by Main before anything is logged (and again after parsing flags). */
public final class LogSettings {
    private static volatile LogFormat format = LogFormat.TEXT;
    private static volatile Level level = Level.INFO;

    public static void configure(LogFormat newFormat, String newLevel) {
        format = newFormat;
        level = switch (newLevel == null ? "" : newLevel.strip().toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "warn", "warning" -> Level.WARN;
            case "error" -> Level.ERROR;
            default -> Level.INFO;
        };
    }

    static LogFormat format() {
        return format;
    }

    static Level level() {
        return level;
    }

    private LogSettings() {}
}
