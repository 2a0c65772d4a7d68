package dev.prismalauncher.database;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.PrismaTable;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.Sql;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The database the URL names, byte for byte (percent-decoded as Prisma decodes a path: '+' stays
 * '+'): with `a b` and `a+b` side by side, each URL resolves the failed row of its own database only.
 */
class DatabaseNamesIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void eachUrlTouchesOnlyTheDatabaseItNames(Kind kind) throws Exception {
        try (TestDatabase reserved = TestDatabase.reserve(kind)) {
            String base = reserved.name();
            // database name -> its path in the URL
            Map<String, String> names = new LinkedHashMap<>();
            names.put(base + "_a b", base + "_a%20b");
            names.put(base + "_a+b", base + "_a+b");
            names.put(base + "_adv_a$b", base + "_adv_a$b");
            names.put(base + "_naïve", base + "_na%C3%AFve");
            Project project = Project.create(kind, dir.resolve("project"));
            Path noDeploy = Launch.script(dir.resolve("prisma-does-nothing"), "exit 0");
            try {
                for (String name : names.keySet()) {
                    admin(reserved, "CREATE DATABASE " + Sql.of(kind).quote(name));
                    try (Connection c = connect(reserved, name); Statement s = c.createStatement()) {
                        s.execute(PrismaTable.ddl(kind, null));
                        s.execute("INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, applied_steps_count)"
                                + " VALUES ('00000000-0000-4000-8000-000000000001', 'x', '20250101000000_init', 'failed', 0)");
                    }
                }
                Map<String, Boolean> expected = new LinkedHashMap<>();
                names.keySet().forEach(n -> expected.put(n, false));
                for (Map.Entry<String, String> target : names.entrySet()) {
                    String url = Sql.of(kind).scheme() + "://" + reserved.adminUser() + "@" + reserved.host() + ":" + reserved.port() + "/" + target.getValue();
                    Launch.Result r = project.launch(reserved).env("DATABASE_URL", url).env("PRISMA_COMMAND", noDeploy.toString())
                            .env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").run("migrate");
                    // resolved, then "deployed" by a Prisma that does nothing: still pending, so exit 5
                    assertEquals(5, r.exit(), target.getKey() + ": " + r);
                    expected.put(target.getKey(), true);
                    Map<String, Boolean> actual = new LinkedHashMap<>();
                    for (String name : names.keySet()) {
                        actual.put(name, rolledBack(reserved, name));
                    }
                    assertEquals(expected, actual, "after the launch on " + url);
                }
            } finally {
                for (String name : names.keySet()) {
                    admin(reserved, Sql.of(kind).dropDatabase(name));
                }
            }
        }
    }

    private static boolean rolledBack(TestDatabase db, String name) throws SQLException {
        try (Connection c = connect(db, name); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT rolled_back_at IS NOT NULL FROM _prisma_migrations")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    private static void admin(TestDatabase db, String sql) throws SQLException {
        try (Connection c = connect(db, Sql.of(db.kind()).adminDatabase()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Connection connect(TestDatabase db, String name) throws SQLException {
        if (db.kind() == Kind.POSTGRESQL) {
            // the test's own driver decodes the path with URLDecoder
            return DriverManager.getConnection("jdbc:postgresql://" + db.host() + ":" + db.port() + "/"
                    + URLEncoder.encode(name, StandardCharsets.UTF_8), "postgres", "");
        }
        Connection c = DriverManager.getConnection("jdbc:mariadb://" + db.host() + ":" + db.port() + "/", "root", "");
        if (!name.isEmpty()) {
            c.setCatalog(name);
        }
        return c;
    }
}
