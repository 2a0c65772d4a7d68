package dev.prismalauncher.config;

import dev.prismalauncher.LauncherException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project as Prisma 7.10.1 maps it: its config file (found as {@link PrismaConfigFile} finds
 * it), read without Node where {@link ConfigScript} can, else by Prisma's own loader
 * ({@link NodeConfigLoader}), else not at all; then the schema and the migrations folder as
 * {@code migrate deploy} derives them: {@code migrations.path}, else the folder {@code migrations}
 * beside the schema ({@code --schema}, else the config's {@code schema}, else the first of
 * {@code schema.prisma} and {@code prisma/schema.prisma}; a schema folder is its own root), else
 * {@code prisma/migrations}.
 *
 * @param configFile null when there is none
 * @param reading how it was read
 * @param migrationsDir as Prisma derives it (relative to the working folder when inside it)
 * @param url {@code datasource.url}; null when the config leaves it undefined or there is no config
 * @param urlVariable the variable whose value {@code url} is, unchanged (DIRECT_URL of
 *     {@code DIRECT_URL ?? DATABASE_URL}); null when assembled or unknown
 * @param millis what reading the config cost
 * @param why for NODE, what the static reader stopped at; for UNREAD, why nothing could read it
 */
public record PrismaProject(Path configFile, Reading reading, Path migrationsDir, String url, String urlVariable,
        ExternalTables external, Set<String> variablesRead, long millis, String why) {

    public enum Reading { NO_CONFIG, STATIC, NODE, UNREAD, PRISMA6 }

    private static final Logger log = LoggerFactory.getLogger("prisma-launcher");

    public boolean hasConfig() {
        return reading == Reading.STATIC || reading == Reading.NODE;
    }

    /**
     * @param environment the environment Prisma will run with (the launcher's, and what it hands Prisma)
     * @param certainWithout PRISMA_MIGRATIONS_DIR and MIGRATE_DATABASE_URL are both set: the launcher
     *     needs nothing from a config it cannot read
     * @param prismaLoadsIt Prisma's CLI will run and load the config itself: where it would fail, so
     *     does the launcher, first
     */
    public static PrismaProject read(Path cwd, List<String> deployArgs, Map<String, String> environment, boolean certainWithout,
            boolean prismaLoadsIt) {
        Path root = cwd.toAbsolutePath().normalize();
        String schemaArgument = argument(deployArgs, "--schema");
        Path file;
        try {
            file = PrismaConfigFile.find(root, argument(deployArgs, "--config"));
        } catch (PrismaConfigFile.Refused e) {
            throw LauncherException.usage(e.getMessage());
        }
        if (file == null) {
            return new PrismaProject(null, Reading.NO_CONFIG, migrationsDir(root, schemaArgument, null, null), null, null,
                    ExternalTables.NONE, Set.of(), 0, null);
        }
        long start = System.nanoTime();
        String notStatic;
        try {
            ConfigScript.Result r = ConfigScript.read(file, source(file), root, new HashMap<>(environment));
            return of(root, file, Reading.STATIC, r, schemaArgument, start, null);
        } catch (ConfigScript.NotStatic e) {
            notStatic = e.getMessage();
        } catch (ConfigScript.Fails e) {
            return unread(root, file, schemaArgument, start, certainWithout && !prismaLoadsIt,
                    "Prisma cannot load it: " + e.getMessage(), Set.of());
        }
        NodeConfigLoader.Outcome outcome = NodeConfigLoader.load(root, file, environment);
        if (outcome instanceof NodeConfigLoader.Outcome.Loaded l) {
            return of(root, file, Reading.NODE, l.result(), schemaArgument, start, notStatic);
        }
        if (outcome instanceof NodeConfigLoader.Outcome.Failed f) {
            return unread(root, file, schemaArgument, start, certainWithout && !prismaLoadsIt,
                    "Prisma's loader fails on it (" + f.tag() + "): " + f.message(), Set.of());
        }
        return unread(root, file, schemaArgument, start, certainWithout, "it goes beyond what is read without Node (" + notStatic
                + ") and Prisma's loader could not be asked: " + ((NodeConfigLoader.Outcome.Unavailable) outcome).reason(), Set.of());
    }

    private static PrismaProject of(Path root, Path file, Reading reading, ConfigScript.Result r, String schemaArgument, long start,
            String why) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new PrismaProject(file, reading, migrationsDir(root, schemaArgument, r.schema(), r.migrationsPath()), r.url(),
                r.urlVariable(), new ExternalTables(r.externalTables(), r.externalEnums()), new TreeSet<>(r.variablesRead()), millis, why);
    }

    /** The config cannot be read: refused (exit 2) with the way out, unless the explicit settings make it unnecessary. */
    private static PrismaProject unread(Path root, Path file, String schemaArgument, long start, boolean proceed, String why,
            Set<String> variables) {
        if (!proceed) {
            throw LauncherException.usage("cannot read " + file + " as Prisma does: " + why + ". The launcher does not guess which"
                    + " migrations folder and database Prisma would use: fix the config, or set both PRISMA_MIGRATIONS_DIR and"
                    + " MIGRATE_DATABASE_URL (and run with DEPLOY_ENGINE=jdbc where Prisma itself cannot load the config)");
        }
        return new PrismaProject(file, Reading.UNREAD, migrationsDir(root, schemaArgument, null, null), null, null, ExternalTables.NONE,
                variables, (System.nanoTime() - start) / 1_000_000, why);
    }

    /**
     * Prisma 6 is installed: its config (6.x's early-access format, URL in schema.prisma) is not
     * judged by 7.10.1's rules; the project is mapped as before Prisma 7 (schema's directUrl,
     * DATABASE_URL, migrations beside the schema). {@code why}: what 7.10.1's rules would have said.
     */
    public static PrismaProject prisma6(Path cwd, List<String> deployArgs, Path configFile, String why) {
        Path root = cwd.toAbsolutePath().normalize();
        return new PrismaProject(configFile, Reading.PRISMA6, migrationsDir(root, argument(deployArgs, "--schema"), null, null), null, null,
                ExternalTables.NONE, Set.of(), 0, why);
    }

    /** One line about what was read and how; URLs are registered as secrets before this is called. */
    public void log() {
        switch (reading) {
            case NO_CONFIG -> log.debug("no Prisma config file: migrations in {}", migrationsDir);
            case STATIC -> log.atInfo().addKeyValue("event", "prisma-config").addKeyValue("file", configFile.toString())
                    .addKeyValue("read", "static").addKeyValue("ms", millis).addKeyValue("migrations", migrationsDir.toString())
                    .log("read {} without Node in {} ms: migrations in {}{}", configFile, millis, migrationsDir, extras());
            case NODE -> log.atInfo().addKeyValue("event", "prisma-config").addKeyValue("file", configFile.toString())
                    .addKeyValue("read", "node").addKeyValue("ms", millis).addKeyValue("migrations", migrationsDir.toString())
                    .log("evaluated {} with Prisma's own loader (node) in {} ms, as it goes beyond what is read without Node ({}):"
                            + " migrations in {}{}", configFile, millis, why, migrationsDir, extras());
            case PRISMA6 -> log.atInfo().addKeyValue("event", "prisma-config").addKeyValue("read", "prisma6")
                    .log("Prisma 6 is installed: its project is mapped as Prisma 6 maps it (the URL from schema.prisma's datasource),"
                            + " not by Prisma 7's config{}: migrations in {}", why == null ? "" : " (" + why + ")", migrationsDir);
            case UNREAD -> log.atWarn().addKeyValue("event", "prisma-config").addKeyValue("file", configFile.toString())
                    .addKeyValue("read", "none").log("did not read {}: {}; PRISMA_MIGRATIONS_DIR and MIGRATE_DATABASE_URL are used,"
                            + " and tables.external is not known (every table counts as unmanaged)", configFile, why);
        }
    }

    private String extras() {
        return (url == null ? "; datasource.url undefined" : "; datasource.url " + (urlVariable != null ? "from " + urlVariable : "set"))
                + (external.tables().isEmpty() ? "" : "; tables.external " + external.tables())
                + (external.enums().isEmpty() ? "" : "; enums.external " + external.enums());
    }

    /** What migrate deploy uses: migrations.path, else beside the schema, else prisma/migrations. */
    static Path migrationsDir(Path root, String schemaArgument, String configSchema, String configMigrations) {
        if (configMigrations != null) {
            return relative(root, Path.of(configMigrations));
        }
        Path schema = null;
        if (schemaArgument != null) {
            schema = Path.of(NodePath.resolve(root.toString(), schemaArgument));
        } else if (configSchema != null) {
            schema = Path.of(configSchema);
        } else {
            for (Path p : List.of(root.resolve("schema.prisma"), root.resolve("prisma").resolve("schema.prisma"))) {
                if (Files.isRegularFile(p)) {
                    schema = p;
                    break;
                }
            }
        }
        if (schema == null) {
            return Path.of(Setting.PRISMA_MIGRATIONS_DIR.defaultValue());
        }
        Path schemaRoot = Files.isDirectory(schema) ? schema : schema.getParent();
        return relative(root, schemaRoot.resolve("migrations"));
    }

    private static Path relative(Path root, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(root) && !abs.equals(root) ? root.relativize(abs) : abs;
    }

    private static String source(Path file) {
        try {
            if (Files.size(file) > ConfigScript.MAX_BYTES) {
                throw new ConfigScript.NotStatic("the file is over " + (ConfigScript.MAX_BYTES >> 10) + " KiB");
            }
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigScript.NotStatic("the file is not UTF-8");
        } catch (IOException e) {
            throw new ConfigScript.NotStatic("the file cannot be read (" + e.getMessage() + ")");
        }
    }

    /** {@code --name=VALUE} or {@code --name VALUE} among Prisma's arguments, as its arg parser takes it (the last one wins). */
    static String argument(List<String> args, String name) {
        String found = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith(name + "=")) {
                found = a.substring(name.length() + 1);
            } else if (a.equals(name) && i + 1 < args.size()) {
                found = args.get(++i);
            }
        }
        return found;
    }
}
