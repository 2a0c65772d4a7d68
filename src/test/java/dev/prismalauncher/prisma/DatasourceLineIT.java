package dev.prismalauncher.prisma;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The datasource lines DatasourceCheckTest judges, printed again by the real prisma 7.10.1 CLI:
 * `prisma migrate resolve` without --applied/--rolled-back prints the line and stops before it
 * starts its engine, so no URL here is ever connected to. A change in Prisma's format fails here.
 */
class DatasourceLineIT {
    @TempDir
    Path dir;

    @Test
    void prismaPrintsTheRecordedLines() throws Exception {
        Project pg = Project.create(Kind.POSTGRESQL, dir.resolve("pg"));
        Project mysql = Project.create(Kind.POSTGRESQL, dir.resolve("mysql"));
        Path schema = mysql.dir().resolve("prisma/schema.prisma");
        Files.writeString(schema, Files.readString(schema).replace("provider = \"postgresql\"", "provider = \"mysql\""));
        Map<String, String> expected = new LinkedHashMap<>();
        List<Future<String>> printed = new ArrayList<>();
        try (TestDatabase unused = TestDatabase.reserve(Kind.POSTGRESQL); ExecutorService pool = Executors.newFixedThreadPool(3)) {
            for (var e : DatasourceCheckTest.PG.entrySet()) {
                expected.put("postgresql " + e.getKey(), e.getValue());
                printed.add(pool.submit(() -> line(pg, unused, e.getKey())));
            }
            for (var e : DatasourceCheckTest.MYSQL.entrySet()) {
                expected.put("mysql " + e.getKey(), e.getValue());
                printed.add(pool.submit(() -> line(mysql, unused, e.getKey())));
            }
            int i = 0;
            for (var e : expected.entrySet()) {
                assertEquals(e.getValue(), printed.get(i++).get(), e.getKey());
            }
        }
    }

    /** The line `prisma migrate resolve` prints for DATABASE_URL = url. */
    private static String line(Project project, TestDatabase db, String url) throws IOException {
        Launch.Result r = project.launch(db).env("DATABASE_URL", url)
                .exec(List.of(project.prismaCommand().getFirst(), "migrate", "resolve"));
        return r.stdout().lines().filter(l -> l.startsWith("Datasource")).findFirst()
                .orElseThrow(() -> new AssertionError("no datasource line for " + url + ":\n" + r));
    }
}
