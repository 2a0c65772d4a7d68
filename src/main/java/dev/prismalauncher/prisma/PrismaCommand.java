package dev.prismalauncher.prisma;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.migrations.MigrationRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Prisma the launcher runs, and which version it is. PRISMA_COMMAND when set; else the
 * `prisma` command npx would run in the app (npm's libnpmexec: the first {@code node_modules/.bin/prisma}
 * from the working directory up to /), run directly; else {@code npx --no-install prisma}.
 *
 * <p>The version comes from the package.json behind the command, so no node starts. Prisma 8 and later
 * cannot run `migrate deploy` (the CLI has no `migrate` command; migration state moved out of
 * `_prisma_migrations`): where such a `prisma` is installed, the `prisma7` command of the
 * {@code @prisma/prisma7} package (Prisma's wrapper that runs 7.x beside a newer `prisma`) is used
 * instead, and without it the start is refused before anything is touched.
 */
public final class PrismaCommand {
    private static final Logger log = LoggerFactory.getLogger("prisma-launcher");

    private final List<String> words;
    private final PrismaVersion version;
    private final String origin;

    private PrismaCommand(List<String> words, PrismaVersion version, String origin) {
        this.words = List.copyOf(words);
        this.version = version;
        this.origin = origin;
    }

    /**
     * Finds Prisma for an app whose root is {@code appDirectory} and logs what was found.
     *
     * @param configured PRISMA_COMMAND's words; empty when not set
     * @throws LauncherException exit 2 when the Prisma found is a major version the launcher does not know
     */
    public static PrismaCommand find(List<String> configured, Path appDirectory) {
        long start = System.nanoTime();
        PrismaCommand found = locate(configured, appDirectory);
        found.log((System.nanoTime() - start) / 1_000);
        return found;
    }

    /**
     * Whether the Prisma that would run is a 6.x (version read as {@link #find} reads it, nothing
     * logged): its config, if any, is not read by 7.10.1's rules. False when not known.
     */
    public static boolean isPrisma6(List<String> configured, Path appDirectory) {
        try {
            PrismaVersion v = locate(configured, appDirectory).version;
            return v != null && v.major() == 6;
        } catch (LauncherException e) {
            return false; // Prisma 8: refused when it is looked for
        }
    }

    static PrismaCommand locate(List<String> configured, Path appDirectory) {
        Path start = appDirectory.toAbsolutePath().normalize();
        if (!configured.isEmpty()) {
            // PRISMA_COMMAND is the user's choice: its version is read only where it names an installed bin directly
            Path bin = Path.of(configured.getFirst());
            Installed installed = isNodeModulesBin(bin) ? installed(start.resolve(bin)) : null;
            PrismaCommand command = installed == null
                    ? new PrismaCommand(configured, null, "PRISMA_COMMAND is set; its version is not read")
                    : new PrismaCommand(configured, installed.version, installed.origin);
            if (command.version != null && command.version.unknownMajor()) {
                throw refusal(command, "PRISMA_COMMAND names it");
            }
            return command;
        }
        Path prisma = bin(start, "prisma");
        Path prisma7 = bin(start, "prisma7");
        if (prisma != null) {
            Installed installed = installed(prisma);
            PrismaCommand command = installed == null
                    ? new PrismaCommand(List.of(shown(start, prisma)), null, "no readable package.json behind " + shown(start, prisma))
                    : new PrismaCommand(List.of(shown(start, prisma)), installed.version, installed.origin);
            if (command.version == null || !command.version.unknownMajor()) {
                return command;
            }
            Installed seven = prisma7 == null ? null : installed(prisma7);
            if (seven == null || seven.version.unknownMajor()) {
                throw refusal(command, prisma7 == null ? "no prisma7 command is installed"
                        : "its prisma7 command runs " + (seven == null ? "a Prisma whose version cannot be read" : "Prisma " + seven.version));
            }
            log.info("{} is Prisma {}, which has no `migrate deploy`; running {} (Prisma {}, from @prisma/prisma7) instead",
                    shown(start, prisma), command.version, shown(start, prisma7), seven.version);
            return new PrismaCommand(List.of(shown(start, prisma7)), seven.version, seven.origin);
        }
        if (prisma7 != null) {
            Installed seven = installed(prisma7);
            return new PrismaCommand(List.of(shown(start, prisma7)), seven == null ? null : seven.version,
                    seven == null ? "no readable package.json behind " + shown(start, prisma7) : seven.origin);
        }
        // --no-install: never download a Prisma version nobody chose, at container start.
        return new PrismaCommand(List.of("npx", "--no-install", "prisma"), null, "no node_modules/.bin/prisma from "
                + start + " up; npx looks further (global installs)");
    }

    private static LauncherException refusal(PrismaCommand found, String why) {
        return LauncherException.usage(found.words.getFirst() + " is Prisma " + found.version + " (" + found.origin + "), a major"
                + " version prisma-launcher does not know: from Prisma 8 on, migrations are no longer kept in _prisma_migrations and"
                + " the CLI has no `migrate deploy` or `migrate resolve`; " + why + ". Keep Prisma 7 for migrations beside it:"
                + " `npm install @prisma/prisma7` (its `prisma7` command is then used), or set PRISMA_COMMAND to a Prisma 6 or 7 CLI");
    }

    /** The first {@code node_modules/.bin/NAME} from {@code start} up to /, as npx looks (a file, links followed). */
    static Path bin(Path start, String name) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("node_modules").resolve(".bin").resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Relative to the app's root where it is inside it, as people write it; absolute otherwise. */
    private static String shown(Path start, Path bin) {
        return bin.startsWith(start) ? start.relativize(bin).toString() : bin.toString();
    }

    private static boolean isNodeModulesBin(Path bin) {
        Path dir = bin.getParent();
        return dir != null && dir.getFileName() != null && dir.getFileName().toString().equals(".bin")
                && dir.getParent() != null && dir.getParent().getFileName() != null
                && dir.getParent().getFileName().toString().equals("node_modules");
    }

    /** A Prisma CLI's version and where it was read. */
    private record Installed(PrismaVersion version, String origin) {}

    /**
     * The version of the Prisma CLI a .bin entry runs: for {@code prisma}, its package's; for
     * {@code prisma7}, the version of the {@code prisma} package that @prisma/prisma7 loads
     * ({@code require("prisma/build/index.js")}, resolved as node resolves it from the wrapper).
     * Null when it cannot be read.
     */
    static Installed installed(Path bin) {
        try {
            boolean seven = bin.getFileName().toString().equals("prisma7");
            Path pkg = packageOf(bin, seven ? "@prisma/prisma7" : "prisma");
            if (pkg == null) {
                return null;
            }
            Path cli = seven ? resolve(pkg.toRealPath(), "prisma") : pkg;
            if (cli == null) {
                return null;
            }
            Path file = cli.resolve("package.json");
            PackageJson json = PackageJson.read(file);
            PrismaVersion version = json == null || !"prisma".equals(json.name()) ? null : PrismaVersion.parse(json.version());
            return version == null ? null : new Installed(version, file.toString());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The package a .bin entry belongs to. npm and bun link the entry to a file inside the package;
     * pnpm and yarn write a shell script instead, and the package is then the named folder beside .bin.
     */
    private static Path packageOf(Path bin, String packageName) throws IOException {
        if (Files.isSymbolicLink(bin)) {
            Path target = bin.toRealPath();
            for (Path dir = target.getParent(); dir != null && !isNodeModules(dir); dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("package.json"))) {
                    PackageJson json = PackageJson.read(dir.resolve("package.json"));
                    return json != null && packageName.equals(json.name()) ? dir : null;
                }
            }
            return null;
        }
        Path dir = bin.getParent().getParent().resolve(packageName);
        return Files.isRegularFile(dir.resolve("package.json")) ? dir : null;
    }

    /** node's lookup of a package from a directory: each ancestor's node_modules, skipping node_modules folders themselves. */
    private static Path resolve(Path from, String packageName) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            if (isNodeModules(dir)) {
                continue;
            }
            Path candidate = dir.resolve("node_modules").resolve(packageName);
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean isNodeModules(Path dir) {
        return dir.getFileName() != null && dir.getFileName().toString().equals("node_modules");
    }

    /** One line: what runs, its version and where it was read, the listing rules that follow, and (JSON) what finding it cost. */
    private void log(long micros) {
        String command = String.join(" ", words);
        var event = (version != null && version.untested() ? log.atWarn() : log.atInfo()).addKeyValue("event", "prisma")
                .addKeyValue("command", command).addKeyValue("version", version == null ? null : version.text())
                .addKeyValue("origin", origin).addKeyValue("listing", rules().name()).addKeyValue("foundInMicros", micros);
        if (version == null) {
            event.log("prisma: {}, version not known ({}); the migrations folder is read as Prisma 7.10.1 reads it", command, origin);
        } else if (version.untested()) {
            event.log("prisma: {} is Prisma {} ({}), older than the Prisma 6 and 7 the launcher is tested with; migrations {}",
                    command, version, origin, rules().description());
        } else {
            event.log("prisma: {} is Prisma {} ({}); migrations {}", command, version, origin, rules().description());
        }
    }

    /** The words that start Prisma. */
    public List<String> base() {
        return words;
    }

    /** The full `migrate deploy` command line. */
    public List<String> deploy(List<String> deployArgs) {
        List<String> command = new ArrayList<>(words);
        command.add("migrate");
        command.add("deploy");
        command.addAll(deployArgs);
        return command;
    }

    /** Null when not known (PRISMA_COMMAND, npx, an unreadable package.json). */
    public PrismaVersion version() {
        return version;
    }

    /** The listing rules of the installed version; Prisma 7.10.1's when the version is not known. */
    public MigrationRules rules() {
        return version == null ? MigrationRules.CLI_LISTED : version.rules();
    }
}
