package dev.prismalauncher.log;

import dev.prismalauncher.LauncherException;
import java.util.Locale;

/** LOG_FORMAT: human text (default) or one JSON object per line for log aggregators. */
public enum LogFormat {
    TEXT, JSON;

    public static LogFormat parse(String source, String value) {
        if (value == null || value.isBlank()) {
            return TEXT;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw LauncherException.usage(source + "='" + value + "' is not a log format: use text or json");
        };
    }
}
