package dev.prismalauncher.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the launcher needs from {@code schema.prisma}: the variable its datasource names as
 * {@code directUrl = env("…")}. Prisma 6 migrates through that connection when it is set (the
 * Supabase/Neon convention, {@code DIRECT_URL}), so the launcher must inspect and lock through
 * the same one. Used only without a Prisma 7 config (which has no directUrl: {@link PrismaProject}
 * reads its datasource.url instead).
 *
 * <p>Read as Prisma finds it: {@code --schema} in PRISMA_DEPLOY_ARGS (a file or a folder of
 * {@code .prisma} files), else next to the migrations folder, else {@code prisma/schema.prisma},
 * else {@code schema.prisma}. Files are read a line at a time, only the datasource block kept.
 */
public final class PrismaSchema {
    private static final Pattern DATASOURCE = Pattern.compile("^\\s*datasource\\s+\\w+\\s*\\{");
    private static final Pattern DIRECT_URL = Pattern.compile("^\\s*directUrl\\s*=\\s*env\\(\\s*\"([^\"]+)\"\\s*\\)\\s*$");
    /** A schema folder is walked this deep and this wide at most: settings, not a file system scan. */
    private static final int MAX_FILES = 200;
    private static final long MAX_BYTES = 16L << 20;

    /** The variable named by {@code directUrl = env("X")}, if the schema has one. */
    public static Optional<String> directUrlVariable(Path migrationsDir, List<String> deployArgs) {
        for (Path file : files(migrationsDir, deployArgs)) {
            Optional<String> found = directUrlVariable(file);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    static Optional<String> directUrlVariable(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                return Optional.empty(); // not a schema anyone writes by hand; memory stays bounded
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            boolean inDatasource = false;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                line = withoutComment(line);
                if (!inDatasource) {
                    inDatasource = DATASOURCE.matcher(line).find();
                    continue;
                }
                if (line.strip().startsWith("}")) {
                    inDatasource = false;
                    continue;
                }
                Matcher m = DIRECT_URL.matcher(line);
                if (m.matches()) {
                    return Optional.of(m.group(1));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable or not text: Prisma will say so when it runs; the launcher just has no directUrl
        }
        return Optional.empty();
    }

    /** The line without its {@code //} comment; a {@code //} inside a string (a URL) is not one. */
    static String withoutComment(String line) {
        boolean inString = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && inString) {
                i++;
            } else if (c == '"') {
                inString = !inString;
            } else if (!inString && c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                return line.substring(0, i);
            }
        }
        return line;
    }

    static List<Path> files(Path migrationsDir, List<String> deployArgs) {
        Path schema = schemaArgument(deployArgs);
        List<Path> candidates = new ArrayList<>();
        if (schema != null) {
            candidates.add(schema);
        } else {
            Path parent = migrationsDir.toAbsolutePath().getParent();
            if (parent != null) {
                candidates.add(parent.resolve("schema.prisma"));
                candidates.add(parent.resolve("schema"));
            }
            candidates.add(Path.of("prisma", "schema.prisma"));
            candidates.add(Path.of("schema.prisma"));
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return List.of(p);
            }
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p, 4)) {
                    return walk.filter(f -> f.toString().endsWith(".prisma") && Files.isRegularFile(f)).sorted().limit(MAX_FILES).toList();
                } catch (IOException | RuntimeException e) {
                    return List.of();
                }
            }
        }
        return List.of();
    }

    /** {@code --schema=PATH} or {@code --schema PATH} among the deploy arguments, as Prisma takes it. */
    private static Path schemaArgument(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--schema=")) {
                return Path.of(a.substring("--schema=".length()));
            }
            if (a.equals("--schema") && i + 1 < args.size()) {
                return Path.of(args.get(i + 1));
            }
        }
        return null;
    }

    private PrismaSchema() {}
}
