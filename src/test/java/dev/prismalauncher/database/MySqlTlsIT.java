package dev.prismalauncher.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connector/J's TLS outcome on the local MariaDB: a refusal is final, never retried for DB_WAIT_TIMEOUT. */
class MySqlTlsIT {
    @TempDir
    Path dir;

    @Test
    void tlsRequiredIsConnectedOrRefusedAtOnce() {
        try (TestDatabase db = TestDatabase.create(Kind.MYSQL)) {
            Project project = Project.create(Kind.MYSQL, dir.resolve("project"));
            boolean serverHasTls = !db.query("SHOW VARIABLES LIKE 'have_ssl'").equals(List.of(List.of("have_ssl", "DISABLED")));
            long start = System.nanoTime();
            Launch.Result r = project.launch(db).env("DATABASE_URL", db.url("sslaccept=accept_invalid_certs"))
                    .env("DB_WAIT_TIMEOUT", "60s").run("status");
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            if (serverHasTls) {
                assertEquals(6, r.exit(), r.toString());
            } else {
                assertEquals(3, r.exit(), r.toString());
                assertTrue(r.stderr().contains("SSL Connection required, but not provided by server"), r.stderr());
                assertFalse(r.stderr().contains("not reachable yet"), r.stderr());
                assertTrue(seconds < 20, "took " + seconds + " s");
            }
        }
    }
}
