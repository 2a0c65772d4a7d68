package dev.prismalauncher.production;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.Sql;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9.5: a database with tables but no _prisma_migrations. `prisma migrate deploy` refuses it
 * (P3005) whatever the migrations folder holds; the launcher must too, on every path, and must
 * ignore what Prisma ignores (PostGIS's spatial_ref_sys).
 */
class UnmanagedDatabaseIT {
    @TempDir
    Path dir;

    private static String table(Kind kind, String name) {
        return "CREATE TABLE " + Sql.of(kind).quote(name) + " (id INT)";
    }

    /** Nothing pending (an empty migrations folder): before, the launcher started the app on a database Prisma refuses. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void refusedOnEveryPathWithTheWayToBaseline(Kind kind) throws IOException {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Project project = Project.create(kind, dir.resolve("project"));
            emptyMigrations(project);
            db.execute(table(kind, "Customer"), table(kind, "Order"));
            for (List<String> args : List.of(List.of("run", "--", "echo", "app"), List.of("migrate"), List.of("status"),
                    List.of("run", "--dry-run", "--", "echo", "app"))) {
                Launch.Result r = project.launch(db).run(args.toArray(String[]::new));
                assertEquals(5, r.exit(), args + ": " + r);
                assertEquals("", r.stdout(), args + ": the app never ran, no plan printed");
                assertTrue(r.stderr().contains("P3005") && r.stderr().contains("2 tables: Customer, Order")
                        && r.stderr().contains("prisma migrate resolve --applied"), args + ": " + r.stderr());
            }
            assertEquals(2, db.query(Sql.of(kind).baseTables()).size(), "nothing created");
        }
    }

    /** The twin: the real Prisma CLI refuses the same database with P3005; with only PostGIS's table both proceed. */
    @Test
    void theSameAsPrismaMigrateDeployOnPostgres() throws IOException {
        try (TestDatabase prismaTwin = TestDatabase.create(Kind.POSTGRESQL); TestDatabase launcherTwin = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            for (TestDatabase db : List.of(prismaTwin, launcherTwin)) {
                db.execute(table(Kind.POSTGRESQL, "legacy"));
            }
            Launch.Result prisma = project.prisma(prismaTwin, "migrate", "deploy");
            assertEquals(1, prisma.exit(), prisma.toString());
            assertTrue((prisma.stdout() + prisma.stderr()).contains("P3005"), prisma.toString());
            Launch.Result launcher = project.launch(launcherTwin).run("migrate");
            assertEquals(5, launcher.exit(), launcher.toString());
            assertTrue(launcher.stderr().contains("P3005") && launcher.stderr().contains("prisma migrate resolve --applied 20250101000000_init"),
                    launcher.stderr());
            assertFalse(launcher.stderr().contains("running "), "refused before starting Prisma: " + launcher.stderr());
        }
        try (TestDatabase prismaTwin = TestDatabase.create(Kind.POSTGRESQL); TestDatabase launcherTwin = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("postgis"));
            emptyMigrations(project);
            for (TestDatabase db : List.of(prismaTwin, launcherTwin)) {
                db.execute("CREATE TABLE spatial_ref_sys (srid INT PRIMARY KEY)"); // what CREATE EXTENSION postgis makes
            }
            Launch.Result prisma = project.prisma(prismaTwin, "migrate", "deploy");
            assertEquals(0, prisma.exit(), prisma.toString());
            Launch.Result launcher = project.launch(launcherTwin).run("run", "--", "echo", "app");
            assertEquals(0, launcher.exit(), launcher.toString());
            assertEquals("app\n", launcher.stdout());
        }
    }

    private static void emptyMigrations(Project project) throws IOException {
        try (Stream<Path> entries = Files.list(project.migrations())) {
            for (Path p : entries.filter(Files::isDirectory).toList()) {
                try (Stream<Path> tree = Files.walk(p)) {
                    for (Path f : tree.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
    }
}
