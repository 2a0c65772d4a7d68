package dev.prismalauncher.log;

import dev.prismalauncher.LauncherException;
import java.util.Locale;
import org.slf4j.event.Level;

/** The two knobs of the log backend, set once by Main before anything is logged (and again after parsing flags). */
public final class LogSettings {
    private static volatile LogFormat format = LogFormat.TEXT;
    private static volatile Level level = Level.INFO;

    public static void configure(LogFormat newFormat, Level newLevel) {
        format = newFormat;
        level = newLevel;
    }

    /** LOG_LEVEL: empty is info; anything unknown is a usage error. */
    public static Level parseLevel(String source, String value) {
        return switch (value == null ? "" : value.strip().toLowerCase(Locale.ROOT)) {
            case "", "info" -> Level.INFO;
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "warn", "warning" -> Level.WARN;
            case "error" -> Level.ERROR;
            default -> throw LauncherException.usage(source + "='" + value + "' is not a log level: use debug, info, warn or error");
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
