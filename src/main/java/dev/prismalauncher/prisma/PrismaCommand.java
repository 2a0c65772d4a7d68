package dev.prismalauncher.prisma;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How Prisma is started: PRISMA_COMMAND, else the project's own CLI, else npx without installing. */
public final class PrismaCommand {
    static final Path LOCAL_CLI = Path.of("node_modules", ".bin", "prisma");

    public static List<String> base(List<String> configured) {
        if (!configured.isEmpty()) {
            return configured;
        }
        if (Files.isExecutable(LOCAL_CLI)) {
            return List.of(LOCAL_CLI.toString());
        }
        // --no-install: never download a Prisma version nobody chose, at container start.
        return List.of("npx", "--no-install", "prisma");
    }

    /** The full `migrate deploy` command line. */
    public static List<String> deploy(List<String> configured, List<String> deployArgs) {
        List<String> command = new ArrayList<>(base(configured));
        command.add("migrate");
        command.add("deploy");
        command.addAll(deployArgs);
        return command;
    }

    private PrismaCommand() {}
}
