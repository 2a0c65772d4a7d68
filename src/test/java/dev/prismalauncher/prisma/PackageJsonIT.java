package dev.prismalauncher.prisma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Project;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The package.json reader against Jackson on every package.json of the node_modules npm installed for prisma 7.10.1. */
class PackageJsonIT {
    @Test
    void readsEveryPackageJsonOfARealTreeAsJacksonDoes() throws IOException {
        Path modules = Path.of(Project.prismaEnv("prisma-pg").get("PRISMA_NODE_MODULES"));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(modules)) {
            files = walk.filter(p -> p.getFileName().toString().equals("package.json") && Files.isRegularFile(p)).toList();
        }
        assertTrue(files.size() > 100, "a real tree: " + files.size() + " package.json files");
        int prisma = 0;
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertEquals(PackageJsonTest.jackson(text), PackageJson.parse(text), file.toString());
            if ("prisma".equals(PackageJson.parse(text).name())) {
                prisma++;
            }
        }
        assertTrue(prisma >= 1, "prisma's own package.json is among them");
    }
}
