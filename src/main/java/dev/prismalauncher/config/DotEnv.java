package dev.prismalauncher.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code .env} files as dotenv 16/17 reads them (its {@code parse}, {@code configDotenv} and
 * {@code populate}, lib/main.js): the same line expression, quotes stripped, {@code \n} and
 * {@code \r} expanded only inside double quotes, the first file of several winning, and a variable
 * already in the environment kept unless {@code override}. Prisma 7 loads no {@code .env} itself;
 * a config that imports {@code dotenv/config} or calls {@code dotenv.config()} does.
 */
public final class DotEnv {
    /** dotenv's LINE, flags m and g; UNIX_LINES: its input has only \n once \r\n and \r are replaced. */
    private static final Pattern LINE = Pattern.compile(
            "(?:^|^)\\s*(?:export\\s+)?([\\w.-]+)(?:\\s*=\\s*?|:\\s+?)(\\s*'(?:\\\\'|[^'])*'|\\s*\"(?:\\\\\"|[^\"])*\"|\\s*`(?:\\\\`|[^`])*`|[^#\\r\\n]+)?\\s*(?:#.*)?(?:$|$)",
            Pattern.MULTILINE | Pattern.UNIX_LINES);
    private static final Pattern QUOTED = Pattern.compile("^(['\"`])([\\s\\S]*)\\1$", Pattern.MULTILINE | Pattern.UNIX_LINES);
    /** A .env bigger than this is not one anybody writes; memory stays bounded. */
    static final long MAX_BYTES = 1L << 20;

    /** dotenv's parse: later lines win within one file. */
    public static Map<String, String> parse(String src) {
        Map<String, String> out = new LinkedHashMap<>();
        String lines = src.replaceAll("\r\n?", "\n");
        Matcher m = LINE.matcher(lines);
        while (m.find()) {
            String key = m.group(1);
            String value = m.group(2) == null ? "" : m.group(2);
            value = jsTrim(value);
            char quote = value.isEmpty() ? 0 : value.charAt(0);
            value = QUOTED.matcher(value).replaceAll("$2");
            if (quote == '"') {
                value = value.replace("\\n", "\n").replace("\\r", "\r");
            }
            out.put(key, value);
        }
        return out;
    }

    /**
     * configDotenv over {@code files} (resolved by the caller from the process's working folder):
     * a missing file is skipped as dotenv skips it; the first file to name a key wins, unless
     * override; then the result goes into {@code env} (kept if present, unless override).
     */
    public static void load(List<Path> files, boolean override, Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>();
        for (Path file : files) {
            Map<String, String> parsed = read(file);
            for (var e : parsed.entrySet()) {
                if (override || !all.containsKey(e.getKey())) {
                    all.put(e.getKey(), e.getValue());
                }
            }
        }
        for (var e : all.entrySet()) {
            if (override || !env.containsKey(e.getKey())) {
                env.put(e.getKey(), e.getValue());
            }
        }
    }

    private static Map<String, String> read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Map.of();
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigScript.NotStatic(file + " is over " + (MAX_BYTES >> 10) + " KiB");
            }
            // node's readFileSync(..., 'utf8'): malformed bytes become U+FFFD, as new String does
            return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Map.of(); // dotenv catches the read error and goes on
        }
    }

    /** String.prototype.trim: JS whitespace and line terminators (Java's strip differs on a few). */
    static String jsTrim(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isJsSpace(s.charAt(a))) {
            a++;
        }
        while (b > a && isJsSpace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    private static boolean isJsSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f' || c == 0xA0 || c == 0xFEFF
                || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }

    private DotEnv() {}
}
