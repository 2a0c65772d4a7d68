package dev.prismalauncher.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The config evaluated by Prisma's own loader, {@code loadConfigFromFile} of the
 * {@code @prisma/config} the app installed (found from the working folder as Node's require finds
 * it, else beside the app's {@code prisma}), in a {@code node} process with the environment Prisma
 * will have. Used only where the static reader stops; it costs a Node start (hundreds of ms).
 * Bounded: {@link #TIMEOUT}, and at most {@link #MAX_OUTPUT} bytes read of its output.
 */
final class NodeConfigLoader {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_OUTPUT = 1 << 20;
    private static final String MARK = "@@prisma-launcher-config@@";
    /** CommonJS, no dependency of its own; the result on one marked line (a config may print anything). */
    private static final String SCRIPT = """
            const path = require('path');
            const { createRequire } = require('module');
            const out = (o) => process.stdout.write('\\nMARK' + JSON.stringify(o) + '\\n');
            (async () => {
              const req = createRequire(path.join(process.cwd(), 'package.json'));
              let mod;
              try { mod = req('@prisma/config'); } catch (e) {
                try { mod = createRequire(req.resolve('prisma/package.json'))('@prisma/config'); }
                catch (e2) { out({ missing: String(e2 && e2.message) }); return; }
              }
              const r = await mod.loadConfigFromFile({ configFile: process.argv[1] || undefined });
              if (r.error) {
                out({ error: r.error._tag, message: String(r.error.error && r.error.error.message || ''), resolvedPath: r.resolvedPath || null });
                return;
              }
              const c = r.config;
              const strings = (a) => Array.isArray(a) ? a.map(String) : null;
              out({ resolvedPath: r.resolvedPath || null, schema: c.schema ?? null, migrationsPath: (c.migrations && c.migrations.path) ?? null,
                    url: (c.datasource && typeof c.datasource.url === 'string') ? c.datasource.url : null,
                    tablesExternal: strings(c.tables && c.tables.external), enumsExternal: strings(c.enums && c.enums.external) });
            })().catch((e) => out({ error: 'UnknownError', message: String(e && e.message) }));
            """.replace("MARK", MARK);

    /** What the loader returned: a config, Prisma's refusal, or why it could not be asked. */
    sealed interface Outcome {
        record Loaded(ConfigScript.Result result, String resolvedPath) implements Outcome {}

        /** Prisma's loader failed: Prisma would stop with this. */
        record Failed(String tag, String message) implements Outcome {}

        /** No node, no @prisma/config, or no answer: Prisma's view is unknown. */
        record Unavailable(String reason) implements Outcome {}
    }

    static Outcome load(Path cwd, Path configFile, Map<String, String> environment) {
        ProcessBuilder pb = new ProcessBuilder("node", "-e", SCRIPT, configFile.toString()).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(environment);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Outcome.Unavailable("node could not be started (" + e.getMessage() + ")");
        }
        try {
            p.getOutputStream().close(); // the script reads nothing
        } catch (IOException e) {
            // nothing to close
        }
        String output;
        try {
            output = readBounded(p.getInputStream(), p);
            if (output == null || !p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Outcome.Unavailable("node did not answer within " + Values.text(TIMEOUT));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Outcome.Unavailable("interrupted");
        } catch (IOException e) {
            p.destroyForcibly();
            return new Outcome.Unavailable("node's output could not be read (" + e.getMessage() + ")");
        }
        int at = output.lastIndexOf(MARK);
        if (at < 0) {
            return new Outcome.Unavailable("node gave no answer (exit " + p.exitValue() + "): " + withoutPasswords(tail(output)));
        }
        String json = output.substring(at + MARK.length()).strip();
        try {
            return parse(json);
        } catch (IOException | RuntimeException e) {
            return new Outcome.Unavailable("node's answer is not the expected JSON");
        }
    }

    /** Reads stdout+stderr up to MAX_OUTPUT bytes on a thread of its own, within TIMEOUT; null when that passed. */
    private static String readBounded(InputStream in, Process p) throws IOException, InterruptedException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            byte[] b = new byte[8192];
            try {
                for (int n; (n = in.read(b)) > 0;) {
                    if (buf.size() + n > MAX_OUTPUT) {
                        p.destroyForcibly();
                        return;
                    }
                    synchronized (buf) {
                        buf.write(b, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process ended or was stopped
            }
        });
        if (!reader.join(TIMEOUT)) {
            p.destroyForcibly();
            reader.join(Duration.ofSeconds(2));
            return null;
        }
        synchronized (buf) {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * What node printed, or a config's own error, may quote a URL the launcher never parsed (a
     * validation library's message): every URL's password is masked before the text goes anywhere.
     */
    static String withoutPasswords(String s) {
        return URL_PASSWORD.matcher(s).replaceAll("$1***$2");
    }

    private static final java.util.regex.Pattern URL_PASSWORD = java.util.regex.Pattern.compile(
            "([A-Za-z][A-Za-z0-9+.-]*://[^:/@\\s]*:)[^\\s]*(@)");

    private static String tail(String s) {
        String t = s.strip();
        return t.length() > 500 ? "…" + t.substring(t.length() - 500) : t;
    }

    static Outcome parse(String json) throws IOException {
        String resolvedPath = null;
        String schema = null;
        String migrations = null;
        String url = null;
        String error = null;
        String message = null;
        String missing = null;
        List<String> tables = null;
        List<String> enums = null;
        try (JsonParser jp = new JsonFactory().createParser(json)) {
            if (jp.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (jp.nextToken() == JsonToken.FIELD_NAME) {
                String field = jp.currentName();
                JsonToken v = jp.nextToken();
                switch (field) {
                    case "tablesExternal", "enumsExternal" -> {
                        List<String> list = null;
                        if (v == JsonToken.START_ARRAY) {
                            list = new ArrayList<>();
                            while (jp.nextToken() == JsonToken.VALUE_STRING) {
                                list.add(jp.getText());
                            }
                        } else if (v != JsonToken.VALUE_NULL) {
                            jp.skipChildren();
                        }
                        if (field.equals("tablesExternal")) {
                            tables = list;
                        } else {
                            enums = list;
                        }
                    }
                    default -> {
                        String text = v == JsonToken.VALUE_STRING ? jp.getText() : null;
                        jp.skipChildren();
                        switch (field) {
                            case "resolvedPath" -> resolvedPath = text;
                            case "schema" -> schema = text;
                            case "migrationsPath" -> migrations = text;
                            case "url" -> url = text;
                            case "error" -> error = text;
                            case "message" -> message = text;
                            case "missing" -> missing = text;
                            default -> {}
                        }
                    }
                }
            }
        }
        if (missing != null) {
            return new Outcome.Unavailable("@prisma/config is not installed where the app is (" + firstLine(missing) + ")");
        }
        if (error != null) {
            return new Outcome.Failed(error, message == null ? "" : withoutPasswords(message));
        }
        return new Outcome.Loaded(new ConfigScript.Result(schema, migrations, url, null, tables == null ? List.of() : List.copyOf(tables),
                enums == null ? List.of() : List.copyOf(enums), new LinkedHashSet<>()), resolvedPath);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private NodeConfigLoader() {}
}
