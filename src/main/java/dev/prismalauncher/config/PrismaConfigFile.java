package dev.prismalauncher.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which config file Prisma 7.10.1 loads, found as {@code @prisma/config}'s
 * {@code loadConfigFromFile} finds it (dist/index.js, with c12 3.3.4 and exsolve under it):
 * {@code --config} when given; else the first of {@code prisma7.config.<ext>} and
 * {@code .config/prisma7.<ext>}; else what c12 resolves for {@code prisma.config}: the path itself,
 * then each extension, then {@code /index} with each, tried for {@code prisma.config},
 * {@code .config/prisma} and {@code .config/prisma.config} in that order. c12 tries more extensions
 * (json, yaml, toml…) than Prisma loads; a file found with one of those is what Prisma refuses
 * ("Unsupported Prisma config file extension"), and so is the launcher.
 */
public final class PrismaConfigFile {
    /** @prisma/config's SUPPORTED_EXTENSIONS, in its order. */
    static final List<String> PRISMA_EXTENSIONS = List.of(".js", ".ts", ".mjs", ".cjs", ".mts", ".cts");
    /** c12's SUPPORTED_EXTENSIONS, in its order: what its resolver tries. */
    static final List<String> C12_EXTENSIONS = List.of(".js", ".ts", ".mjs", ".cjs", ".mts", ".cts", ".json", ".jsonc", ".json5",
            ".yaml", ".yml", ".toml");

    private static final List<String> WITH_NONE = List.of("", ".js", ".ts", ".mjs", ".cjs", ".mts", ".cts", ".json", ".jsonc", ".json5",
            ".yaml", ".yml", ".toml");

    /** The file found, or null for none (Prisma then runs on its defaults). */
    public static Path find(Path cwd, String configArgument) {
        Path root = cwd.toAbsolutePath().normalize();
        if (configArgument != null) {
            Path given = Path.of(NodePath.resolve(root.toString(), configArgument));
            Path found = c12(root, given);
            if (found == null) {
                throw new Refused("Config file not found at \"" + given + "\" (--config in PRISMA_DEPLOY_ARGS): Prisma stops there too");
            }
            return supported(found);
        }
        for (String ext : PRISMA_EXTENSIONS) {
            Path p = root.resolve("prisma7.config" + ext);
            if (Files.isRegularFile(p)) {
                return real(p);
            }
        }
        for (String ext : PRISMA_EXTENSIONS) {
            Path p = root.resolve(".config").resolve("prisma7" + ext);
            if (Files.isRegularFile(p)) {
                return real(p);
            }
        }
        Path found = c12(root, root.resolve("prisma.config"));
        return found == null ? null : supported(found);
    }

    /** c12's resolveConfig for a file name: the name, then under .config/ without ".config", then under .config/. */
    private static Path c12(Path root, Path source) {
        String name = source.getFileName().toString();
        Path dir = source.getParent();
        Path found = exsolve(source);
        if (found == null) {
            found = exsolve(dir.resolve(".config").resolve(name.endsWith(".config") ? name.substring(0, name.length() - ".config".length()) : name));
        }
        if (found == null) {
            found = exsolve(dir.resolve(".config").resolve(name));
        }
        return found;
    }

    /** exsolve's resolveModulePath with suffixes "", "/index" and extensions "", c12's: the first that is a file, real path. */
    private static Path exsolve(Path base) {
        if (Files.isRegularFile(base)) {
            return real(base);
        }
        for (String suffix : List.of("", "/index")) {
            for (String ext : WITH_NONE) {
                Path p = Path.of(base + suffix + ext);
                if (Files.isRegularFile(p)) {
                    return real(p);
                }
            }
        }
        return null;
    }

    /** exsolve returns the real path (symlinks followed): the config's folder is the real file's. */
    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static Path supported(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot <= 0 ? "" : name.substring(dot);
        if (!PRISMA_EXTENSIONS.contains(ext)) {
            throw new Refused("Prisma would load " + file + " as its config and refuses it: \"Unsupported Prisma config file extension: "
                    + ext + "\"; rename it to one of " + String.join(", ", PRISMA_EXTENSIONS));
        }
        return file;
    }

    /** Prisma itself would stop here: the launcher stops first (exit 2). */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private PrismaConfigFile() {}
}
