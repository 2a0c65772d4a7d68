package dev.prismalauncher.config;

import dev.prismalauncher.LauncherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the value syntaxes settings share: booleans, durations, shell-like word lists. */
public final class Values {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    /** SKIP_MIGRATIONS-style booleans; anything unexpected is a usage error, never a guess. */
    public static boolean bool(String source, String value) {
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "", "0", "false", "no", "off" -> false;
            default -> throw LauncherException.usage(source + "='" + value
                    + "' is not a boolean: use 1, true, yes, on to enable or 0, false, no, off (or empty) to disable");
        };
    }

    /** The longest duration any setting takes: a week. Past it, a typo more likely than a wish (and no overflow). */
    public static final Duration MAX_DURATION = Duration.ofHours(168);

    /** "300", "300s", "10m", "1h", "500ms"; a bare number is seconds; at most {@link #MAX_DURATION}. */
    public static Duration duration(String source, String value) {
        Matcher m = DURATION.matcher(value == null ? "" : value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw LauncherException.usage(source + "='" + value + "' is not a duration: use e.g. 30s, 10m, 1h, 500ms or a number of seconds");
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        long perUnit = switch (unit) {
            case "ms" -> 1;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 1_000;
        };
        // 19 digits overflow a long: compare by length first, then exactly.
        String digits = m.group(1).replaceFirst("^0+(?=.)", "");
        if (digits.length() > 12 || Long.parseLong(digits) * perUnit > MAX_DURATION.toMillis()) {
            throw LauncherException.usage(source + "='" + value + "' is too long: at most " + text(MAX_DURATION) + " (168h)");
        }
        return Duration.ofMillis(Long.parseLong(digits) * perUnit);
    }

    /** A duration as a person reads it, exactly: 500 ms, 5 s, 90 s, 1500 ms (never "0 s" for 500 ms). */
    public static String text(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 != 0 ? ms + " ms" : ms / 1000 + " s";
    }

    /** Splits a command line into words: whitespace separates, single and double quotes group, backslash escapes. */
    public static List<String> words(String source, String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw LauncherException.usage(source + " has an unclosed " + quote + " quote");
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }

    private Values() {}
}
