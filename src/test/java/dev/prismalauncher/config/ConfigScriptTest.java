package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.prismalauncher.testing.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The static reader against Prisma's own loader: each config below, in each environment, read by
 * {@link ConfigScript} and by {@code loadConfigFromFile} of prisma 7.10.1 (node, through
 * {@link NodeConfigLoader}), field by field; a config Prisma refuses must be refused, not read.
 * The real corpus is {@code PrismaConfigCorpusTest}; these are the shapes named in issue 16.
 */
class ConfigScriptTest {
    private static final String PW = "Pw-7x!q@SECRET#42";
    private static Path nodeModules;

    @BeforeAll
    static void prisma() {
        nodeModules = Path.of(Project.prismaEnv("prisma-pg").get("PRISMA_NODE_MODULES"));
    }

    record Case(String name, String file, String source, Map<String, String> files, Map<String, String> env) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Map<String, String> env(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static final String FIXTURE = """
            import { defineConfig } from 'prisma/config'

            // Prisma 7 reads the connection URL from here, not from schema.prisma.
            export default defineConfig({
              schema: 'prisma/schema.prisma',
              migrations: { path: 'prisma/migrations' },
              datasource: { url: process.env.DATABASE_URL },
            })
            """;
    static final String DOTENV_ENV = """
            import 'dotenv/config'
            import { defineConfig, env } from 'prisma/config'
            export default defineConfig({
              schema: 'prisma/schema.prisma',
              migrations: { path: 'prisma/migrations', seed: 'tsx prisma/seed.ts' },
              datasource: { url: env('DATABASE_URL') },
            })
            """;
    static final String DIRECT = """
            import "dotenv/config";
            import { defineConfig } from "prisma/config";

            export default defineConfig({
              schema: "prisma/schema.prisma",
              migrations: {
                path: "prisma/migrations",
              },
              datasource: {
                // the pooler is for the app; migrations go direct
                url: process.env.DIRECT_URL ?? process.env.DATABASE_URL,
              },
            });
            """;
    static final String TEMPLATE = """
            import { defineConfig } from 'prisma/config';
            const user = encodeURIComponent(process.env.DB_USER || 'postgres');
            const password = encodeURIComponent(process.env.DB_PASSWORD ?? '');
            const host = process.env['DB_HOST'] ?? 'localhost';
            const port = process.env.DB_PORT ?? 5432;
            export default defineConfig({
              schema: 'db/schema.prisma',
              migrations: { path: 'db/migrations' },
              datasource: { url: `postgresql://${user}:${password}@${host}:${port}/${process.env.DB_NAME}?schema=public` },
            });
            """;
    static final String PATHS = """
            import path from 'node:path'
            import type { PrismaConfig } from 'prisma'
            import { defineConfig } from 'prisma/config'

            export default defineConfig({
              schema: path.join(__dirname, 'prisma', 'schema'),
              migrations: { path: path.join(import.meta.dirname, 'prisma', 'migrations') },
              datasource: { url: process.env.DATABASE_URL! },
            }) satisfies PrismaConfig
            """;
    static final String DOTENV_PATH = """
            import * as dotenv from 'dotenv'
            import { defineConfig } from 'prisma/config'

            dotenv.config({ path: '.env.local' })
            dotenv.config()

            export default defineConfig({
              datasource: { url: process.env.DATABASE_URL as string },
              migrations: { path: './migrations' },
            })
            """;
    static final String SPREAD = """
            import { defineConfig, env } from "prisma/config";
            import { config } from "dotenv";
            config({ path: [".env.production", ".env"], override: true });

            const isCi: boolean = process.env.CI === "true";
            const shadow = process.env.SHADOW_DATABASE_URL;

            export default defineConfig({
              experimental: { externalTables: true },
              schema: "./prisma/schema.prisma",
              tables: { external: ["public.legacy", "audit_log"] },
              enums: { external: ["public.mood"] },
              datasource: {
                url: env("DATABASE_URL"),
                ...(shadow ? { shadowDatabaseUrl: shadow } : {}),
              },
              ...(isCi && { migrations: { path: "ci/migrations" } }),
            });
            """;
    static final String EXTERNAL_WITHOUT_FLAG = """
            import { defineConfig } from 'prisma/config'
            export default defineConfig({
              tables: { external: ['public.legacy'] },
              datasource: { url: process.env.DATABASE_URL },
            })
            """;
    static final String OBJECT = """
            import type { PrismaConfig } from "prisma";
            import 'dotenv/config';

            export default {
              schema: 'prisma',
              datasource: { url: process.env.DATABASE_URL || 'postgresql://localhost:5432/dev' },
            } satisfies PrismaConfig;
            """;
    static final String CJS = """
            require('dotenv').config({ path: '.env.local' });
            const { defineConfig } = require('prisma/config');
            const path = require('path');

            module.exports = defineConfig({
              schema: path.resolve('prisma', 'schema.prisma'),
              datasource: { url: process.env['DATABASE_URL'] },
            });
            """;

    static final String FUNCTIONS = """
            import path from "node:path";
            import { defineConfig } from "prisma/config";
            const isProd = !!process.env.TURSO_DATABASE_URL;
            export default defineConfig(
              isProd
                ? { datasource: { adapter: async () => { const { X } = await import("x"); return new X({ url: process.env.TURSO_DATABASE_URL! }); } } }
                : { migrations: { seed: 'tsx seed.ts' }, datasource: { url: `file:${path.join(process.cwd(), "prisma/dev.db")}` } },
            );
            """;

    static final String GUARD = """
            import dotenv from "dotenv";
            import { defineConfig } from "prisma/config";
            dotenv.config({ quiet: true });
            const DATABASE_URL = process.env.DATABASE_URL;
            if (!DATABASE_URL) throw new Error(`DATABASE_URL is not defined (${process.env.NODE_ENV ?? 'no NODE_ENV'})`);
            if (DATABASE_URL === 'x') {
              throw new Error('x');
            }
            export default defineConfig({ datasource: { url: DATABASE_URL } });
            """;

    static final String ENV_FILE = """
            # comment
            export DATABASE_URL="postgresql://app:%s@db.internal:5432/app?schema=public" # trailing
            DIRECT_URL='postgresql://app:%s@direct.internal:5432/app'
            EMPTY=
            MULTI="a\\nb"
            """.formatted(PW, PW);

    static Stream<Case> cases() {
        String url = "postgresql://u:" + PW + "@h:5432/d";
        return Stream.of(
                new Case("fixture, url set", "prisma.config.ts", FIXTURE, Map.of(), env("DATABASE_URL", url)),
                new Case("fixture, url unset", "prisma.config.ts", FIXTURE, Map.of(), env()),
                new Case("dotenv/config + env(), .env", "prisma.config.ts", DOTENV_ENV, Map.of(".env", ENV_FILE), env()),
                new Case("dotenv/config + env(), env wins over .env", "prisma.config.ts", DOTENV_ENV, Map.of(".env", ENV_FILE),
                        env("DATABASE_URL", url)),
                new Case("DIRECT_URL ?? DATABASE_URL, both", "prisma.config.ts", DIRECT, Map.of(),
                        env("DATABASE_URL", url, "DIRECT_URL", url.replace("@h", "@direct"))),
                new Case("DIRECT_URL ?? DATABASE_URL, only DATABASE_URL", "prisma.config.ts", DIRECT, Map.of(), env("DATABASE_URL", url)),
                new Case("DIRECT_URL ?? DATABASE_URL, from .env", "prisma.config.ts", DIRECT, Map.of(".env", ENV_FILE), env()),
                new Case("DIRECT_URL empty ?? DATABASE_URL", "prisma.config.ts", DIRECT, Map.of(), env("DIRECT_URL", "", "DATABASE_URL", url)),
                new Case("template, all set", "prisma.config.ts", TEMPLATE, Map.of(),
                        env("DB_USER", "app user", "DB_PASSWORD", PW, "DB_HOST", "db", "DB_PORT", "6543", "DB_NAME", "shop")),
                new Case("template, defaults", "prisma.config.ts", TEMPLATE, Map.of(), env("DB_NAME", "shop")),
                new Case("path.join(__dirname), import.meta.dirname", "prisma.config.ts", PATHS, Map.of(), env("DATABASE_URL", url)),
                new Case("dotenv path .env.local then .env", "prisma.config.mts", DOTENV_PATH,
                        Map.of(".env.local", "DATABASE_URL=postgresql://local:" + PW + "@l/db\n", ".env", ENV_FILE), env()),
                new Case("dotenv path missing file", "prisma.config.mts", DOTENV_PATH, Map.of(), env()),
                new Case("spread, override, external", "prisma.config.ts", SPREAD,
                        Map.of(".env.production", "DATABASE_URL=postgresql://prod:" + PW + "@p/db\n", ".env", ENV_FILE),
                        env("DATABASE_URL", url, "CI", "true", "SHADOW_DATABASE_URL", url)),
                new Case("spread, no CI", "prisma.config.ts", SPREAD, Map.of(".env", ENV_FILE), env()),
                new Case("env() unset", "prisma.config.ts", SPREAD, Map.of(), env()),
                new Case("tables.external without the flag", "prisma.config.ts", EXTERNAL_WITHOUT_FLAG, Map.of(), env("DATABASE_URL", url)),
                new Case("object satisfies, schema folder", "prisma.config.ts", OBJECT, Map.of(), env()),
                new Case("CommonJS", "prisma.config.cjs", CJS, Map.of(".env.local", "DATABASE_URL='postgresql://c:" + PW + "@c/db'\n"),
                        env()),
                new Case(".config/prisma.ts", ".config/prisma.ts", FIXTURE, Map.of(), env("DATABASE_URL", url)),
                new Case("defineConfig drops an unknown key", "prisma.config.ts",
                        "import { defineConfig } from 'prisma/config'\nexport default defineConfig({ earlyAccess: true, studio: { port: 5555 },"
                                + " datasource: { url: process.env.DATABASE_URL, provider: 'postgresql' } })\n", Map.of(), env("DATABASE_URL", url)),
                new Case("a plain object with an unknown key", "prisma.config.ts",
                        "export default { earlyAccess: true, datasource: { url: process.env.DATABASE_URL } }\n", Map.of(), env("DATABASE_URL", url)),
                new Case("enums.external without the flag, through defineConfig", "prisma.config.ts",
                        "import { defineConfig } from 'prisma/config'\nexport default defineConfig({ enums: { external: ['mood'] },"
                                + " datasource: { url: process.env.DATABASE_URL } })\n", Map.of(), env("DATABASE_URL", url)),
                new Case("functions passed by, not called: untaken branch", "prisma.config.ts", FUNCTIONS, Map.of(), env()),
                new Case("functions passed by, not called: an adapter factory", "prisma.config.ts", FUNCTIONS, Map.of(),
                        env("TURSO_DATABASE_URL", "libsql://x.turso.io")),
                new Case("a guard that throws, variable unset", "prisma.config.ts", GUARD, Map.of(), env()),
                new Case("a guard that throws, variable set", "prisma.config.ts", GUARD, Map.of(), env("DATABASE_URL", url)),
                new Case("enums.external without the flag, a plain object", "prisma.config.ts",
                        "export default { enums: { external: ['mood'] }, datasource: { url: process.env.DATABASE_URL } }\n", Map.of(),
                        env("DATABASE_URL", url)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsAsPrismaDoes(Case c, @TempDir Path dir) throws IOException {
        Path app = dir.toRealPath();
        Files.createSymbolicLink(app.resolve("node_modules"), nodeModules);
        Path file = app.resolve(c.file());
        Files.createDirectories(file.getParent());
        Files.writeString(file, c.source());
        for (var f : c.files().entrySet()) {
            Files.writeString(app.resolve(f.getKey()), f.getValue());
        }
        assertEquals(file, PrismaConfigFile.find(app, null), "discovery");
        Map<String, String> env = new HashMap<>(c.env());
        env.put("PATH", System.getenv("PATH"));
        NodeConfigLoader.Outcome prisma = NodeConfigLoader.load(app, file, env);
        Object mine;
        try {
            mine = ConfigScript.read(file, c.source(), app, new HashMap<>(env));
        } catch (ConfigScript.Fails e) {
            mine = e;
        }
        switch (prisma) {
            case NodeConfigLoader.Outcome.Loaded l -> {
                ConfigScript.Result r = assertInstanceOf(ConfigScript.Result.class, mine, "Prisma loads it: " + l);
                ConfigScript.Result p = l.result();
                assertEquals(p.schema(), r.schema(), "schema");
                assertEquals(p.migrationsPath(), r.migrationsPath(), "migrations.path");
                assertEquals(p.url(), r.url(), "datasource.url");
                assertEquals(p.externalTables(), r.externalTables(), "tables.external");
                assertEquals(p.externalEnums(), r.externalEnums(), "enums.external");
            }
            case NodeConfigLoader.Outcome.Failed f -> {
                ConfigScript.Fails e = assertInstanceOf(ConfigScript.Fails.class, mine, "Prisma fails on it: " + f);
                // ConfigFileSyntaxError carries Effect's parse wording (the launcher names the key or flag instead); others are Prisma's words
                if (!f.tag().equals("ConfigFileSyntaxError")) {
                    assertTrue(f.message().contains(e.getMessage()), f.message() + " / " + e.getMessage());
                }
            }
            case NodeConfigLoader.Outcome.Unavailable u -> fail("Prisma's loader could not be asked: " + u.reason());
        }
    }

    @Test
    void theVariableAUrlCameFromIsKept() {
        ConfigScript.Result r = ConfigScript.read(Path.of("/app/prisma.config.ts"), DIRECT, Path.of("/app"),
                new HashMap<>(env("DIRECT_URL", "postgresql://d/x", "DATABASE_URL", "postgresql://p/x")));
        assertEquals("DIRECT_URL", r.urlVariable());
        r = ConfigScript.read(Path.of("/app/prisma.config.ts"), DIRECT, Path.of("/app"), new HashMap<>(env("DATABASE_URL", "postgresql://p/x")));
        assertEquals("DATABASE_URL", r.urlVariable());
        assertEquals(List.of("DIRECT_URL", "DATABASE_URL"), List.copyOf(r.variablesRead()));
        r = ConfigScript.read(Path.of("/app/prisma.config.ts"), TEMPLATE, Path.of("/app"), new HashMap<>(env("DB_NAME", "x")));
        assertEquals(null, r.urlVariable(), "assembled: no one variable");
    }

    @Test
    void whatGoesBeyondIsNotGuessed() {
        for (String beyond : List.of(
                "import { defineConfig } from 'prisma/config'\nexport default defineConfig({ datasource: { url: getUrl() } })",
                "import { defineConfig } from 'prisma/config'\nimport { url } from './src/env'\nexport default defineConfig({ datasource: { url } })",
                "import { defineConfig } from 'prisma/config'\nexport default defineConfig({ datasource: { url: new URL(process.env.X).href } })",
                "import { defineConfig } from 'prisma/config'\nif (process.env.X) { console.log('x') }\nexport default defineConfig({})",
                "import { defineConfig } from 'prisma/config'\nif (!process.env.X) throw new Error('x')\nelse console.log('y')\nexport default defineConfig({})",
                "import { defineConfig } from 'prisma/config'\nexport default defineConfig({ datasource: { url: process.env.X.trim() } })",
                "import { defineConfig } from 'prisma/config'\nexport default defineConfig({ datasource: { url: [process.env.X].join('') } })",
                "import { defineConfig } from 'prisma/config'\nexport default defineConfig(async () => ({}))",
                "import { defineConfig } from 'prisma/config'\nconst a = 1\nexport { a as default }")) {
            assertThrows(ConfigScript.NotStatic.class, () -> ConfigScript.read(Path.of("/app/prisma.config.ts"), beyond, Path.of("/app"),
                    new HashMap<>(env("X", "postgresql://h/d"))), beyond);
        }
    }

    @Test
    void hostileNestingIsRefusedNotAStackOverflow() {
        String deep = "(".repeat(100_000) + "process.env.X" + ")".repeat(100_000);
        String templates = "`${".repeat(50_000) + "1" + "}`".repeat(50_000);
        String objects = "{a:".repeat(100_000) + "1" + "}".repeat(100_000);
        for (String e : List.of(deep, templates, objects, "!".repeat(100_000) + "1")) {
            String source = "import { defineConfig } from 'prisma/config'\nexport default defineConfig({ datasource: { url: " + e + " } })";
            ConfigScript.NotStatic n = assertThrows(ConfigScript.NotStatic.class,
                    () -> ConfigScript.read(Path.of("/app/prisma.config.ts"), source, Path.of("/app"), new HashMap<>(env("X", "x"))));
            assertTrue(n.getMessage().contains("nested over") || n.getMessage().contains("KiB"), n.getMessage());
        }
    }

    @Test
    void whatNodeSaysHasNoPassword() {
        assertEquals("url postgresql://app:***@db:5432/x is invalid",
                NodeConfigLoader.withoutPasswords("url postgresql://app:" + PW + "@db:5432/x is invalid"));
        assertEquals("mysql://root:***@h/d and postgres://u:***@h2/d",
                NodeConfigLoader.withoutPasswords("mysql://root:p@h/d and postgres://u:p%40w@h2/d"));
        assertEquals("file:./dev.db https://example.com/x", NodeConfigLoader.withoutPasswords("file:./dev.db https://example.com/x"));
    }
}
