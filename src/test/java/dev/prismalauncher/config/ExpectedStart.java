package dev.prismalauncher.config;

import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The oracle of {@code SettingsPropertiesTest}: what a generated start must parse to, worked out
 * from the generator's own parts by the documented rules (README settings, quaint's URL rules),
 * never by calling the parser. A part is either known good (with the value it must yield), known
 * bad (the start must be refused with exit 2), or unpredictable here (a hostile query string, a
 * raw password holding '%', a user holding ':'): then only "accepted or refused" is checked, and,
 * if accepted, every other part's value.
 */
final class ExpectedStart {
    enum Verdict { ACCEPTED, REFUSED, EITHER }

    Verdict verdict = Verdict.ACCEPTED;
    final List<String> why = new ArrayList<>();

    // the values an accepted start must have (null: not predicted)
    boolean skip;
    boolean json;
    boolean dryRun;
    ResolveStrategy strategy = ResolveStrategy.NONE;
    int maxResolveAttempts = 3;
    Duration lockTimeout = Duration.ofSeconds(300);
    Duration dbWaitTimeout = Duration.ofSeconds(60);
    Duration deployTimeout;
    String logFormat = "TEXT";
    String logLevel = "INFO";
    String variable;
    Provider provider;
    String user;
    boolean userKnown = true;
    String password;
    boolean passwordKnown = true;
    String host;
    int port;
    String database;
    Map<String, String> parameters;

    private void refuse(String part) {
        verdict = Verdict.REFUSED;
        why.add(part + " is refused");
    }

    private void unpredictable(String part) {
        if (verdict == Verdict.ACCEPTED) {
            verdict = Verdict.EITHER;
        }
        why.add(part + " is not predicted");
    }

    static ExpectedStart of(HostileSettings.Case c) {
        ExpectedStart e = new ExpectedStart();
        List<String> args = c.args();
        String command = args.getFirst();
        boolean status = command.equals("status");
        e.json = args.contains("--json");
        e.dryRun = args.contains("--dry-run");
        Map<String, String> env = c.env();

        if (!status && env.containsKey("SKIP_MIGRATIONS")) {
            switch (env.get("SKIP_MIGRATIONS").strip().toLowerCase(Locale.ROOT)) {
                case "1", "true", "yes", "on" -> e.skip = true;
                case "", "0", "false", "no", "off" -> e.skip = false;
                default -> e.refuse("SKIP_MIGRATIONS");
            }
        }
        if (env.containsKey("MIGRATION_RESOLVE_STRATEGY")) {
            switch (env.get("MIGRATION_RESOLVE_STRATEGY").strip().toLowerCase(Locale.ROOT)) {
                case "", "none" -> e.strategy = ResolveStrategy.NONE;
                case "rolled-back" -> e.strategy = ResolveStrategy.ROLLED_BACK;
                case "applied" -> e.strategy = ResolveStrategy.APPLIED;
                case "auto" -> e.strategy = ResolveStrategy.AUTO;
                default -> e.refuse("MIGRATION_RESOLVE_STRATEGY");
            }
        }
        if (env.containsKey("MAX_RESOLVE_ATTEMPTS")) {
            String v = env.get("MAX_RESOLVE_ATTEMPTS").strip();
            if (v.isEmpty()) {
                e.maxResolveAttempts = 3;
            } else if (v.matches("[0-9]+") && new BigInteger(v).compareTo(BigInteger.ONE) >= 0
                    && new BigInteger(v).compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) <= 0) { // a Java int
                e.maxResolveAttempts = Integer.parseInt(v);
            } else {
                e.refuse("MAX_RESOLVE_ATTEMPTS");
            }
        }
        e.lockTimeout = e.duration(env, "LOCK_TIMEOUT", e.lockTimeout);
        e.dbWaitTimeout = e.duration(env, "DB_WAIT_TIMEOUT", e.dbWaitTimeout);
        e.deployTimeout = e.duration(env, "DEPLOY_TIMEOUT", null);
        if (e.deployTimeout != null && e.deployTimeout.isZero()) {
            e.deployTimeout = null; // 0 means no limit
        }
        int flag = args.indexOf("--log-format");
        String format = flag >= 0 ? args.get(flag + 1) : env.get("LOG_FORMAT"); // a flag wins over the environment
        if (format != null && !format.isBlank()) {
            switch (format.strip().toLowerCase(Locale.ROOT)) {
                case "text" -> e.logFormat = "TEXT";
                case "json" -> e.logFormat = "JSON";
                default -> e.refuse("LOG_FORMAT");
            }
        }
        if (env.containsKey("LOG_LEVEL")) {
            switch (env.get("LOG_LEVEL").strip().toLowerCase(Locale.ROOT)) {
                case "", "info" -> e.logLevel = "INFO";
                case "debug" -> e.logLevel = "DEBUG";
                case "warn", "warning" -> e.logLevel = "WARN";
                case "error" -> e.logLevel = "ERROR";
                case "trace" -> e.logLevel = "TRACE";
                default -> e.refuse("LOG_LEVEL");
            }
        }
        if (!e.skip) {
            e.variable = args.stream().anyMatch(a -> a.startsWith("--database-url=")) ? "--database-url" : "DATABASE_URL";
            e.url(c.url(), c.password());
        }
        return e;
    }

    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)?");
    private static final BigInteger WEEK_MS = BigInteger.valueOf(Duration.ofHours(168).toMillis());

    /** "300", "30s", "500ms", "10m", "1h": at most a week; empty is the default. */
    private Duration duration(Map<String, String> env, String name, Duration fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        Matcher m = DURATION.matcher(v.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            refuse(name);
            return fallback;
        }
        long perUnit = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> 1;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 1_000;
        };
        BigInteger ms = new BigInteger(m.group(1)).multiply(BigInteger.valueOf(perUnit));
        if (ms.compareTo(WEEK_MS) > 0) {
            refuse(name);
            return fallback;
        }
        return Duration.ofMillis(ms.longValueExact());
    }

    private static final Map<String, String> USERS = Map.of("app", "app", "postgres", "postgres", "root", "root", "a%40corp", "a@corp",
            "%C3%BCn", "\u00fcn", "", "");
    private static final Map<String, String> HOSTS = Map.of("127.0.0.1", "127.0.0.1", "localhost", "localhost", "db.example", "db.example",
            "[::1]", "::1", "my_db", "my_db");
    private static final Map<String, String> PATHS = Map.of("/db", "db", "/a+b", "a+b", "/a%20b", "a b", "/$x", "$x", "/%C3%BCn", "\u00fcn");
    private static final Map<String, Map<String, String>> QUERIES = Map.of(
            "", Map.of(),
            "?schema=app", Map.of("schema", "app"),
            "?schema=a+b&schema=last", Map.of("schema", "last"),
            "?sslmode=disable&connect_timeout=3", Map.of("sslmode", "disable", "connect_timeout", "3"),
            "?connection_limit=5&pool_timeout=10", Map.of("connection_limit", "5", "pool_timeout", "10"),
            "?application_name=my+app&options=-c%20statement_timeout%3D0", Map.of("application_name", "my app", "options", "-c statement_timeout=0"));

    private void url(HostileSettings.Url u, String raw) {
        provider = switch (u.scheme().toLowerCase(Locale.ROOT)) {
            case "postgresql", "postgres" -> Provider.POSTGRESQL;
            case "mysql" -> Provider.MYSQL;
            default -> null;
        };
        if (provider == null) {
            refuse("scheme " + u.scheme());
            return;
        }
        if (USERS.containsKey(u.user())) {
            user = USERS.get(u.user());
        } else if (u.user().equals("a:b")) {
            userKnown = false; // the user ends at the first ':', the rest joins the password
            passwordKnown = false;
            unpredictable("user a:b");
        } else {
            refuse("user " + u.user()); // NUL, a malformed escape, a control character
        }
        String spaces = URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
        String plus = URLEncoder.encode(raw, StandardCharsets.UTF_8);
        if (u.written().equals(spaces)) {
            password = raw;
        } else if (u.written().equals(plus)) {
            password = raw.replace(' ', '+'); // in the userinfo '+' is a literal plus, not a space
        } else if (raw.matches(".*[@/?#].*")) {
            refuse("a raw password holding @ / ? or #");
        } else if (raw.contains("%")) {
            passwordKnown = false;
            unpredictable("a raw password holding %");
        } else {
            password = raw;
        }
        boolean queryKnown = QUERIES.containsKey(u.query());
        if (queryKnown) {
            parameters = QUERIES.get(u.query());
        } else {
            unpredictable("query " + u.query());
        }
        if (HOSTS.containsKey(u.host())) {
            host = HOSTS.get(u.host());
        } else if (u.host().isEmpty() && !queryKnown) {
            unpredictable("an empty host (a host= or socket= parameter allows it)");
        } else {
            refuse("host " + u.host());
        }
        String p = u.port().isEmpty() ? "" : u.port().substring(1);
        if (p.isEmpty()) {
            port = provider == Provider.POSTGRESQL ? 5432 : 3306;
        } else if (p.matches("[0-9]{1,5}") && Integer.parseInt(p) >= 1 && Integer.parseInt(p) <= 65535) {
            port = Integer.parseInt(p);
        } else {
            refuse("port " + u.port());
        }
        if (PATHS.containsKey(u.path())) {
            database = PATHS.get(u.path());
        } else if (u.path().isEmpty() || u.path().equals("/")) {
            if (provider == Provider.MYSQL) {
                refuse("a MySQL URL without a database");
            } else {
                database = "postgres";
            }
        } else {
            refuse("path " + u.path());
        }
    }

    /** The parts an accepted start's URL must have, by name, for a readable failure. */
    Map<String, Object> urlParts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variable", variable);
        m.put("provider", provider);
        if (userKnown) {
            m.put("user", user);
        }
        if (passwordKnown) {
            m.put("password", password);
        }
        m.put("host", host);
        m.put("port", port);
        m.put("database", database);
        if (parameters != null) {
            m.put("parameters", parameters);
        }
        return m;
    }
}
