package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.database.Dialect;
import dev.prismalauncher.log.Secrets;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, "Also": a thousand generated settings and URLs, parsed in-process as a start parses them
 * (CommandLine, DatabaseUrl, the dialect's parameter checks). Each is accepted or refused with exit
 * 2; no message carries the password in any spelling, nor an exception class name. And each is
 * checked against an independent oracle ({@link ExpectedStart}, worked out from the generator's
 * parts): accepted exactly when it must be, with the values it must have (a wrong parse — a port
 * limit off by one, a '+' read as a space — fails here). {@code HostileSettingsIT} launches a
 * handful for real. {@code -Dsettings.seed=N} replays a run.
 */
class SettingsPropertiesTest {
    static final long SEED = Long.getLong("settings.seed", 20261202L);
    private static final int TRIES = 1000;

    @Test
    void acceptedOrRefusedWithExit2AndNoSecret() {
        HostileSettings generator = new HostileSettings(SEED);
        int accepted = 0;
        Map<ExpectedStart.Verdict, Integer> verdicts = new EnumMap<>(ExpectedStart.Verdict.class);
        for (int i = 0; i < TRIES; i++) {
            HostileSettings.Case start = generator.next(generator::host);
            verdicts.merge(ExpectedStart.of(start).verdict, 1, Integer::sum);
            if (check(start, "seed " + SEED + " #" + i)) {
                accepted++;
            }
        }
        // the generator must not degenerate into refusing everything at the first hostile field
        assertTrue(accepted >= TRIES / 10, accepted + " of " + TRIES + " accepted");
        // nor the oracle into predicting nothing
        assertTrue(verdicts.getOrDefault(ExpectedStart.Verdict.ACCEPTED, 0) >= TRIES / 10, verdicts.toString());
        assertTrue(verdicts.getOrDefault(ExpectedStart.Verdict.REFUSED, 0) >= TRIES / 10, verdicts.toString());
    }

    /**
     * Every value the generator has for each part, and the edges of each rule, one at a time in an
     * otherwise plausible start on both databases: a rule's edge (port 65535/65536, a week) is
     * rare in a random run, so each is tried here for certain.
     */
    @Test
    void eachValueAloneAndEachEdge() {
        List<String> ports = new ArrayList<>(List.of(HostileSettings.PORTS));
        ports.addAll(List.of(HostileSettings.HOSTILE_PORTS));
        ports.addAll(List.of(":2", ":9", ":10", ":99", ":65534", ":65537", ":00001", ":065535", ":00000", ":100000", ": 1"));
        String password = HostileSettings.PW_START + " p+w%@/?#:[]" + HostileSettings.PW_END;
        int n = 0;
        for (String scheme : List.of("postgresql", "mysql")) {
            HostileSettings.Url base = new HostileSettings.Url(scheme, "app", URLEncoder.encode(password, StandardCharsets.UTF_8),
                    "127.0.0.1", ":5432", "/db", "");
            List<HostileSettings.Url> urls = new ArrayList<>();
            urls.add(base);
            for (String v : concat(HostileSettings.SCHEMES, HostileSettings.HOSTILE_SCHEMES)) {
                urls.add(new HostileSettings.Url(v, base.user(), base.written(), base.host(), base.port(), base.path(), base.query()));
            }
            for (String v : concat(HostileSettings.USERS, HostileSettings.HOSTILE_USERS)) {
                urls.add(new HostileSettings.Url(scheme, v, base.written(), base.host(), base.port(), base.path(), base.query()));
            }
            for (String v : List.of(URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20"), "Zq7plainKx9", "Zq7 spaceKx9",
                    "Zq7a@bKx9", "Zq7a/bKx9", "Zq7a?bKx9", "Zq7a#bKx9", "Zq7a:bKx9")) {
                String raw = v.contains("%") ? password : v;
                urls.add(new HostileSettings.Url(scheme, base.user(), v, base.host(), base.port(), base.path(), base.query()));
                checkUrl(urls.removeLast(), raw, "password written " + v);
                n++;
            }
            for (String v : concat(HostileSettings.HOSTS, HostileSettings.HOSTILE_HOSTS)) {
                urls.add(new HostileSettings.Url(scheme, base.user(), base.written(), v, base.port(), base.path(), base.query()));
            }
            for (String v : ports) {
                urls.add(new HostileSettings.Url(scheme, base.user(), base.written(), base.host(), v, base.path(), base.query()));
                urls.add(new HostileSettings.Url(scheme, base.user(), base.written(), "[::1]", v, base.path(), base.query()));
            }
            for (String v : concat(HostileSettings.PATHS, HostileSettings.HOSTILE_PATHS)) {
                urls.add(new HostileSettings.Url(scheme, base.user(), base.written(), base.host(), base.port(), v, base.query()));
            }
            for (String v : HostileSettings.QUERIES) {
                urls.add(new HostileSettings.Url(scheme, base.user(), base.written(), base.host(), base.port(), base.path(), v));
            }
            for (HostileSettings.Url u : urls) {
                checkUrl(u, password, "one part");
                n++;
            }
        }
        List<String> durations = new ArrayList<>(List.of(concat(HostileSettings.DURATIONS, HostileSettings.HOSTILE_DURATIONS)));
        durations.addAll(List.of("604800", "604801", "10080m", "10081m", "604800000ms", "604800001ms", "168H", "0h", "000000000000000000001s",
                "1000000000000s", "999999999999ms"));
        for (String name : List.of("LOCK_TIMEOUT", "DB_WAIT_TIMEOUT", "DEPLOY_TIMEOUT")) {
            for (String v : durations) {
                checkSetting(name, v);
                n++;
            }
        }
        for (String v : List.of("1", "2", "3", "10", "0", "-1", "x", "", " 4 ", "99999999999", "2147483647", "2147483648")) {
            checkSetting("MAX_RESOLVE_ATTEMPTS", v);
            n++;
        }
        for (String[] setting : new String[][] {
            {"SKIP_MIGRATIONS", "", "0", "1", "no", "TRUE", "yes", "on", "off", "false", "maybe"},
            {"MIGRATION_RESOLVE_STRATEGY", "none", "rolled-back", "applied", "", "auto", "Rolled-Back", "rollback"},
            {"LOG_FORMAT", "json", "text", "JSON", "", "xml"},
            {"LOG_LEVEL", "info", "debug", "warn", "warning", "error", "trace", "", "loud"}}) {
            for (int i = 1; i < setting.length; i++) {
                checkSetting(setting[0], setting[i]);
                n++;
            }
        }
        assertTrue(n > 300, n + " starts");
    }

    private static String[] concat(String[] a, String[] b) {
        List<String> out = new ArrayList<>(List.of(a));
        out.addAll(List.of(b));
        return out.toArray(String[]::new);
    }

    private static void checkUrl(HostileSettings.Url url, String password, String what) {
        for (List<String> args : List.of(List.of("migrate", "--dry-run"), List.of("status"), List.of("run", "--database-url=" + url, "--", "true"))) {
            Map<String, String> env = args.getFirst().equals("run") ? Map.of() : Map.of("DATABASE_URL", url.toString());
            check(new HostileSettings.Case(args, env, password, url), what);
        }
    }

    private static void checkSetting(String name, String value) {
        HostileSettings.Url url = new HostileSettings.Url("postgresql", "app", "Zq7pwKx9", "127.0.0.1", "", "/db", "");
        for (String command : List.of("migrate", "status")) {
            Map<String, String> env = new LinkedHashMap<>(Map.of("DATABASE_URL", url.toString(), name, value));
            check(new HostileSettings.Case(List.of(command), env, "Zq7pwKx9", url), name + "=" + value);
        }
    }

    /**
     * One start parsed as a start parses it: accepted or refused with exit 2 as the oracle says,
     * with the values it says, and no secret nor class name in what is printed. True when the
     * dialect accepts it too.
     */
    private static boolean check(HostileSettings.Case start, String label) {
        ExpectedStart expected = ExpectedStart.of(start);
        String where = label + " " + start + " (" + start.url() + "), expected " + expected.verdict + " " + expected.why;
        String message;
        boolean accepted = false;
        Config config = null;
        try {
            config = CommandLine.parse(start.args().toArray(String[]::new), start.env());
            message = String.valueOf(config.databaseUrl()); // what the logs print of it
        } catch (LauncherException e) {
            assertEquals(ExitCode.USAGE, e.exitCode(), where + ": " + e.getMessage());
            message = e.getMessage();
        } catch (RuntimeException e) {
            throw new AssertionError(where + ": an internal error (exit 1)", e);
        }
        if (expected.verdict == ExpectedStart.Verdict.ACCEPTED) {
            assertNotNull(config, where + ": refused: " + message);
        } else if (expected.verdict == ExpectedStart.Verdict.REFUSED) {
            assertNull(config, where + ": accepted as " + message);
        }
        if (config != null) {
            agrees(expected, config, where);
            try {
                if (config.databaseUrl() != null) {
                    Dialect.of(config.databaseUrl()); // the URL's parameters, validated before anything is touched
                }
                accepted = true;
            } catch (LauncherException e) {
                assertEquals(ExitCode.USAGE, e.exitCode(), where + ": " + e.getMessage());
                message = e.getMessage();
            } catch (RuntimeException e) {
                throw new AssertionError(where + ": an internal error (exit 1)", e);
            }
        }
        for (String s : HostileSettings.spellings(start.password())) {
            assertFalse(message.contains(s), where + ": '" + s + "' in: " + message);
            assertFalse(Secrets.redact(message).contains(s), where + ": '" + s + "' in: " + message);
        }
        assertFalse(HostileSettings.CLASS_NAME.matcher(message).find(), message);
        return accepted;
    }

    /** An accepted start has exactly the values the oracle worked out. */
    private static void agrees(ExpectedStart e, Config c, String where) {
        assertEquals(e.skip, c.skipMigrations(), where);
        assertEquals(e.json, c.json(), where);
        assertEquals(e.dryRun, c.dryRun(), where);
        assertEquals(e.strategy, c.strategy(), where);
        assertEquals(e.maxResolveAttempts, c.maxResolveAttempts(), where);
        assertEquals(e.lockTimeout, c.lockTimeout(), where);
        assertEquals(e.dbWaitTimeout, c.dbWaitTimeout(), where);
        assertEquals(e.deployTimeout, c.deployTimeout(), where);
        assertEquals(e.logFormat, c.logFormat().name(), where);
        assertEquals(e.logLevel, c.logLevel().name(), where);
        if (e.skip) {
            assertNull(c.databaseUrl(), where);
            return;
        }
        DatabaseUrl u = c.databaseUrl();
        Map<String, Object> actual = new LinkedHashMap<>();
        actual.put("variable", u.variable());
        actual.put("provider", u.provider());
        if (e.userKnown) {
            actual.put("user", u.user());
        }
        if (e.passwordKnown) {
            actual.put("password", u.password());
        }
        actual.put("host", u.host());
        actual.put("port", u.port());
        actual.put("database", u.database());
        if (e.parameters != null) {
            actual.put("parameters", u.parameters());
        }
        assertEquals(e.urlParts(), actual, where);
    }
}
