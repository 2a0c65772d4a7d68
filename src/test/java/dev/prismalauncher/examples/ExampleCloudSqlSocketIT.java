package dev.prismalauncher.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/cloud-run's connection, as far as it can run here: Cloud Run mounts a Cloud SQL
 * instance's socket in /cloudsql/PROJECT:REGION:INSTANCE, and the job reads its URL
 * (?host=/cloudsql/...) from a mounted secret through DATABASE_URL_FILE. Here the directory, named
 * the same way (colons included), holds a link to the local PostgreSQL's socket, and the URL the
 * recipe shows (its database and password replaced) is read from a file. The URL's TCP host leads
 * nowhere, so success means the socket.
 */
class ExampleCloudSqlSocketIT {
    private static final Path PG_SOCKETS = Path.of(System.getProperty("test.pg.socket.dir", "/var/run/postgresql"));

    @TempDir
    Path dir;

    @Test
    void theRecipesSocketUrlFromASecretFileReachesTheDatabase() throws IOException {
        Path socket = PG_SOCKETS.resolve(".s.PGSQL.5432");
        assertTrue(Files.exists(socket), "the local PostgreSQL's socket: " + socket);
        Matcher recipe = Pattern.compile("postgresql://app:PASSWORD@localhost/app\\?host=/cloudsql/(\\S+)")
                .matcher(Files.readString(Path.of("examples/cloud-run/migrate-job.yaml")));
        assertTrue(recipe.find(), "the recipe shows the socket URL");
        String instance = recipe.group(1);

        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Path cloudsql = dir.resolve("cloudsql").resolve(instance);
            Files.createDirectories(cloudsql);
            Files.createSymbolicLink(cloudsql.resolve(".s.PGSQL.5432"), socket);
            Path secret = dir.resolve("secrets/database/url");
            Files.createDirectories(secret.getParent());
            Files.writeString(secret, "postgresql://postgres:" + TestDatabase.PASSWORD_ENCODED + "@localhost/" + db.name() + "?host=" + cloudsql + "\n");
            Files.createDirectories(dir.resolve("prisma/migrations"));
            Files.writeString(dir.resolve("prisma/migrations/migration_lock.toml"), "provider = \"postgresql\"\n");

            Launch.Result r = new Launch(dir).env("DATABASE_URL_FILE", secret.toString()).env("DB_WAIT_TIMEOUT", "0").run("status");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stdout().contains("up to date"), r.stdout());
        }
    }
}
