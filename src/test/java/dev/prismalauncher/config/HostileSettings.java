package dev.prismalauncher.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Generated settings and URLs for the property tests (issue 8, "Also"): the values a hostile
 * environment or a hurried operator writes. A small seeded generator of our own (a seed reproduces
 * a run) rather than a library: the jqwik release current when this was written prints a notice
 * asking AI agents not to use it, and this generator is a page.
 *
 * <p>Every password ends with a marker, so "the secret appears in the output" is a substring check
 * whatever characters precede it; some start with digits, because {@code app:2024?Winter@host}
 * then reads as host {@code app}, port 2024 (the case that leaked).
 */
final class HostileSettings {
    static final String PW_START = "Zq7";
    static final String PW_END = "Kx9";
    private static final String HOSTILE_CHARS = "aZ09\"\\@/?#:%+ &=;'$!~*()[]{}<>,.-_é€abcdef";

    /** An exception class name in a message means an internal error leaked through. */
    static final Pattern CLASS_NAME = Pattern.compile("(?:java|javax|jdk|org|com|sun)\\.[a-z]+\\.|[A-Z][A-Za-z]*(?:Exception|Error)\\b");

    /**
     * One generated start: the command line, the environment, the password its URL carries (raw),
     * and the URL's parts as generated (what {@code SettingsPropertiesTest}'s oracle reads).
     */
    record Case(List<String> args, Map<String, String> env, String password, Url url) {
        @Override
        public String toString() {
            return args + " " + env;
        }
    }

    /** The parts of a generated URL, each as written into it; {@code written} is the password as written. */
    record Url(String scheme, String user, String written, String host, String port, String path, String query) {
        @Override
        public String toString() {
            return scheme + "://" + user + ":" + written + "@" + host + port + path + query;
        }
    }

    private final Random random;

    HostileSettings(long seed) {
        this.random = new Random(seed);
    }

    private String pick(String... values) {
        return values[random.nextInt(values.length)];
    }

    /** Nine in ten from the plausible values: a start refused at its first hostile field tests nothing else. */
    private String mostly(Supplier<String> plausible, Supplier<String> hostile) {
        return random.nextInt(10) < 9 ? plausible.get() : hostile.get();
    }

    private String chars(String alphabet, int min, int max) {
        StringBuilder b = new StringBuilder();
        int n = min + random.nextInt(max - min + 1);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    String password() {
        String start = random.nextBoolean() ? PW_START : chars("0123456789", 1, 5);
        return start + chars(HOSTILE_CHARS, 0, 12) + PW_END;
    }

    /** The password as written into the URL: encoded (the right way) or raw (the hostile way). */
    String written(String raw) {
        int r = random.nextInt(10);
        String encoded = URLEncoder.encode(raw, StandardCharsets.UTF_8);
        return r < 5 ? encoded.replace("+", "%20") : r < 8 ? encoded : raw;
    }

    // each part's plausible and hostile values (SettingsPropertiesTest also tries each one alone)
    static final String[] HOSTS = {"127.0.0.1", "localhost", "db.example", "[::1]", "my_db"};
    static final String[] HOSTILE_HOSTS = {"db$host", "", "[::1", "h%41", "a b"};
    static final String[] USERS = {"app", "postgres", "root", "a%40corp", "%C3%BCn"};
    static final String[] HOSTILE_USERS = {"u%00x", "us%zzer", "", "a:b", "u\u0001"};
    static final String[] PORTS = {"", ":", ":5432", ":65535", ":1"};
    static final String[] HOSTILE_PORTS = {":0", ":65536", ":99999", ":-1", ":54x", ":99999999999999999999"};
    static final String[] PATHS = {"/db", "/a+b", "/a%20b", "/$x", "/%C3%BCn", "/"};
    static final String[] HOSTILE_PATHS = {"", "/d%00b", "/a/b", "/a%2Fb", "/%zz"};
    static final String[] QUERIES = {"", "?schema=app", "?schema=a+b&schema=last", "?sslmode=disable&connect_timeout=3",
        "?connection_limit=5&pool_timeout=10", "?application_name=my+app&options=-c%20statement_timeout%3D0"};
    static final String[] SCHEMES = {"postgresql", "postgres", "mysql", "POSTGRESQL"};
    static final String[] HOSTILE_SCHEMES = {"sqlserver", "prisma+postgres", ""};
    static final String[] DURATIONS = {"", "0", "30s", "500ms", "10m", "1h", "168h", " 5s ", "5S", "0ms"};
    static final String[] HOSTILE_DURATIONS = {"169h", "3000000h", "9999999999999999999", "-1", "1d", "a while", "1.5s"};

    String host() {
        return mostly(() -> pick(HOSTS), () -> pick(HOSTILE_HOSTS));
    }

    String user() {
        return mostly(() -> pick(USERS), () -> pick(HOSTILE_USERS));
    }

    String port() {
        return mostly(() -> pick(PORTS),
                () -> random.nextBoolean() ? pick(HOSTILE_PORTS) : ":" + (random.nextInt(70010) - 10));
    }

    String path() {
        return mostly(() -> pick(PATHS), () -> pick(HOSTILE_PATHS));
    }

    private String parameter() {
        List<String> known = new ArrayList<>(DatabaseUrl.PRISMA_PARAMETERS);
        known.sort(null);
        String name = switch (random.nextInt(3)) {
            case 0 -> known.get(random.nextInt(known.size()));
            case 1 -> known.get(random.nextInt(known.size())).toUpperCase(Locale.ROOT);
            default -> pick("frobnicate", "SSLMODE", "Schema", "", "a%00b", "%zz");
        };
        String value = random.nextBoolean()
                ? pick("", "true", "false", "require", "disable", "strict", "5", "-1", "x+y", "a%22b", "%00", "%zz", "public",
                        "/var/run/postgresql", "99999999999999999999")
                : chars("abc019-_%+", 0, 6);
        return random.nextInt(5) == 0 ? name : name + "=" + value;
    }

    String query() {
        return mostly(() -> pick(QUERIES),
                () -> {
                    List<String> ps = new ArrayList<>();
                    for (int i = random.nextInt(5); i > 0; i--) {
                        ps.add(parameter());
                    }
                    return ps.isEmpty() ? "" : "?" + String.join("&", ps);
                });
    }

    String duration() {
        return mostly(() -> pick(DURATIONS),
                () -> random.nextBoolean() ? pick(HOSTILE_DURATIONS)
                        : chars("0123456789", 1, 22) + pick("", "ms", "s", "m", "h"));
    }

    /** A start around a fresh password; {@code host} gives the host part (the real-launch test pins it). */
    Case next(Supplier<String> host) {
        String password = password();
        String scheme = mostly(() -> pick(SCHEMES), () -> pick(HOSTILE_SCHEMES));
        // drawn in this order (the seed replays the same starts)
        String user = user();
        String written = written(password);
        String hostPart = host.get();
        String port = port();
        String path = path();
        String query = query();
        Url parts = new Url(scheme, user, written, hostPart, port, path, query);
        String url = parts.toString();
        Map<String, String> env = new LinkedHashMap<>();
        for (String timeout : List.of("LOCK_TIMEOUT", "DB_WAIT_TIMEOUT", "DEPLOY_TIMEOUT")) {
            if (random.nextBoolean()) {
                env.put(timeout, duration());
            }
        }
        optional(env, "SKIP_MIGRATIONS", () -> mostly(() -> pick("", "0", "1", "no", "TRUE"), () -> "maybe"));
        optional(env, "MIGRATION_RESOLVE_STRATEGY", () -> mostly(() -> pick("none", "rolled-back", "applied", ""), () -> "rollback"));
        optional(env, "MAX_RESOLVE_ATTEMPTS", () -> mostly(() -> pick("3", "1", "10"), () -> pick("0", "-1", "99999999999", "x")));
        optional(env, "LOG_FORMAT", () -> mostly(() -> pick("json", "text"), () -> "xml"));
        optional(env, "LOG_LEVEL", () -> mostly(() -> pick("info", "debug", "warn"), () -> "loud"));
        List<List<String>> commands = List.of(List.of("status"), List.of("status", "--json"), List.of("migrate", "--dry-run"),
                List.of("run", "--dry-run", "--", "true"), List.of("migrate", "--dry-run", "--log-format", "json"));
        List<String> args = new ArrayList<>(commands.get(random.nextInt(commands.size())));
        if (random.nextInt(4) == 0) {
            args.add(1, "--database-url=" + url); // visible in /proc/PID/cmdline, but must not be printed
        } else {
            env.put("DATABASE_URL", url);
        }
        return new Case(args, env, password, parts);
    }

    private void optional(Map<String, String> env, String name, Supplier<String> value) {
        if (random.nextBoolean()) {
            env.put(name, value.get());
        }
    }

    /** The spellings of the password that must never be printed: raw, percent-encoded, JSON-escaped, and its end marker. */
    static List<String> spellings(String password) {
        String json = password.replace("\\", "\\\\").replace("\"", "\\\"");
        return List.of(password, URLEncoder.encode(password, StandardCharsets.UTF_8),
                URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20"), json, PW_END);
    }
}
