package dev.prismalauncher.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code prisma.config.*} without Node: the small programs people write, evaluated as
 * JavaScript would evaluate them, and nothing more. Top level: imports (of {@code prisma/config},
 * {@code path}, {@code url}, {@code process}, {@code dotenv}, {@code dotenv/config}; type imports
 * skipped), {@code const}/{@code let}/{@code var} declarations (TypeScript annotations skipped),
 * {@code dotenv.config(...)} calls, and {@code export default} / {@code module.exports =}.
 * Expressions: literals, template strings, {@code process.env.X} and {@code process.env['X']},
 * {@code env('X')} (which throws when X is unset or empty, as Prisma's does), {@code ??},
 * {@code ||}, {@code &&}, {@code ? :}, {@code ===}/{@code !==}, {@code !}, {@code +},
 * {@code encodeURIComponent}, {@code String}, {@code path.join/resolve/dirname},
 * {@code __dirname}, {@code __filename}, {@code import.meta.dirname/filename/url},
 * {@code fileURLToPath}, {@code process.cwd()}, object and array literals with spreads
 * ({@code ...(cond ? {…} : {})}), {@code as}/{@code satisfies}/{@code !} of TypeScript.
 *
 * <p>Anything else is {@link NotStatic}: the caller then asks Prisma's own loader, never guesses.
 * What Prisma itself would refuse for certain ({@code env()} of an unset variable, an
 * experimental key without its flag) is {@link Fails}, with Prisma's words.
 */
public final class ConfigScript {
    static final int MAX_BYTES = 256 << 10;
    private static final int MAX_DEPTH = 100;

    /** Beyond what is read statically (the reason names the construct). */
    public static final class NotStatic extends RuntimeException {
        public NotStatic(String message) {
            super(message, null, false, false);
        }
    }

    /** Prisma's loader would throw this for certain: the same message. */
    public static final class Fails extends RuntimeException {
        public Fails(String message) {
            super(message, null, false, false);
        }
    }

    // ---- values -------------------------------------------------------------------------------

    /** JavaScript's undefined and null. */
    enum Nil { UNDEFINED, NULL }

    /** A string and, when it is a variable's value passed on unchanged, that variable's name. */
    record Str(String value, String variable) {
        Str(String value) {
            this(value, null);
        }
    }

    /** Functions and modules the reader knows by what they do. */
    enum Builtin {
        DEFINE_CONFIG, ENV, PATH, PATH_JOIN, PATH_RESOLVE, PATH_DIRNAME, PATH_BASENAME, DOTENV, DOTENV_CONFIG, URL_MODULE,
        FILE_URL_TO_PATH, PROCESS, PROCESS_ENV, PROCESS_CWD, ENCODE_URI_COMPONENT, STRING, PRISMA_CONFIG_MODULE,
        /** A function the config defines: passed around as a value (an adapter factory), never called here. */
        USER_FUNCTION
    }

    // ---- result -------------------------------------------------------------------------------

    /**
     * What the config says, as {@code loadConfigFromFile} returns it: paths absolute from the
     * config's folder; null for what it leaves out.
     */
    public record Result(String schema, String migrationsPath, String url, String urlVariable, List<String> externalTables,
            List<String> externalEnums, Set<String> variablesRead) {}

    // ---- entry --------------------------------------------------------------------------------

    private final Path file;
    private final Path cwd;
    private final Map<String, String> env;
    private final Map<String, Object> scope = new LinkedHashMap<>();
    private final Set<String> variablesRead = new LinkedHashSet<>();
    private int depth;

    private ConfigScript(Path file, Path cwd, Map<String, String> env) {
        this.file = file.toAbsolutePath().normalize();
        this.cwd = cwd.toAbsolutePath().normalize();
        this.env = env;
    }

    /**
     * Evaluates {@code source} (the text of {@code file}) with {@code env} as process.env (which
     * dotenv calls change, as they change Prisma's) and {@code cwd} as process.cwd().
     */
    public static Result read(Path file, String source, Path cwd, Map<String, String> env) {
        if (source.length() > MAX_BYTES) {
            throw new NotStatic("the file is over " + (MAX_BYTES >> 10) + " KiB");
        }
        ConfigScript s = new ConfigScript(file, cwd, env);
        return s.interpret(s.run(new Lexer(source).tokens()));
    }

    // ---- statements ---------------------------------------------------------------------------

    /** A top-level statement, kept as data (no lambdas: each would cost a class spun at start-up). */
    private sealed interface Stmt {}

    private record ExportStmt(Node value) implements Stmt {}

    private record DeclStmt(List<String[]> pattern, String name, Node init) implements Stmt {}

    private record CallStmt(Node call) implements Stmt {}

    /** {@code if (test) throw new Error(message)}: the guard configs write for a missing variable. */
    private record GuardStmt(Node test, Node message) implements Stmt {}

    private record Nothing() implements Stmt {}

    private static final Stmt NOTHING = new Nothing();

    private Object run(List<Tok> tokens) {
        Parser p = new Parser(tokens);
        List<List<Tok>> imports = new ArrayList<>();
        List<Stmt> body = new ArrayList<>();
        while (!p.at(Tok.Kind.EOF)) {
            if (p.atName("import") && !p.peekIs(1, "(") && !p.peekIs(1, ".")) {
                int start = p.i;
                p.skipImport();
                imports.add(tokens.subList(start, p.i));
                continue;
            }
            statement(p, body);
        }
        // ES imports are hoisted: they run first, in their order (jiti's CommonJS transform keeps that)
        for (List<Tok> imp : imports) {
            importDeclaration(new Parser(withEof(imp)));
        }
        Object exported = null;
        for (Stmt st : body) {
            if (st instanceof ExportStmt e) {
                exported = eval(e.value());
            } else if (st instanceof DeclStmt d) {
                Object v = eval(d.init());
                if (d.pattern() == null) {
                    scope.put(d.name(), v);
                } else {
                    for (String[] n : d.pattern()) {
                        scope.put(n[1], member(v, n[0], false));
                    }
                }
            } else if (st instanceof GuardStmt g) {
                if (truthy(eval(g.test()))) {
                    // the module throws while Prisma's loader imports it: ConfigLoadError, with that message
                    throw new Fails(g.message() == null ? "the config throws an Error" : string(eval(g.message())));
                }
            } else if (st instanceof CallStmt c) {
                Object v = eval(c.call());
                if (!(v instanceof Nil) && !(v instanceof Map<?, ?>)) {
                    throw new NotStatic("a call statement the reader does not know");
                }
            }
        }
        if (exported == null) {
            throw new NotStatic("no `export default` or `module.exports =` the reader follows");
        }
        return exported;
    }

    private static List<Tok> withEof(List<Tok> list) {
        List<Tok> out = new ArrayList<>(list);
        out.add(new Tok(Tok.Kind.EOF, "", null));
        return out;
    }

    private void statement(Parser p, List<Stmt> body) {
        if (p.acceptPunct(";")) {
            return;
        }
        if (p.atName("export")) {
            p.next();
            if (p.acceptName("default")) {
                Node e = p.expression();
                p.endStatement();
                body.add(new ExportStmt(e));
                return;
            }
            if (p.atName("const") || p.atName("let") || p.atName("var")) {
                declaration(p, body);
                return;
            }
            if (p.acceptName("type") || p.acceptName("interface")) {
                p.skipTypeDeclaration();
                return;
            }
            throw new NotStatic("an `export` other than `export default`");
        }
        if (p.atName("const") || p.atName("let") || p.atName("var")) {
            declaration(p, body);
            return;
        }
        if (p.atName("if") && p.peekIs(1, "(")) {
            body.add(p.guard());
            return;
        }
        if ((p.atName("type") || p.atName("interface")) && p.peek(1).kind == Tok.Kind.NAME) {
            p.next();
            p.skipTypeDeclaration();
            return;
        }
        if (p.atName("module") && p.peekIs(1, ".") && p.peekIsName(2, "exports") && p.peekIs(3, "=")) {
            p.i += 4;
            Node e = p.expression();
            p.endStatement();
            body.add(new ExportStmt(e));
            return;
        }
        Node e = p.expression();
        p.endStatement();
        if (e instanceof Node.Lit lit && lit.value() instanceof Str) {
            return; // 'use strict'
        }
        if (e instanceof Node.Call) {
            body.add(new CallStmt(e));
            return;
        }
        throw new NotStatic("a statement the reader does not follow");
    }

    private void declaration(Parser p, List<Stmt> body) {
        p.next(); // const, let, var
        do {
            if (p.at(Tok.Kind.PUNCT) && p.peek(0).text.equals("{")) {
                List<String[]> names = p.objectPattern();
                p.skipAnnotation();
                p.expectPunct("=");
                body.add(new DeclStmt(names, null, p.assignment()));
            } else {
                String name = p.expectName();
                p.skipAnnotation();
                Node init = p.acceptPunct("=") ? p.assignment() : new Node.Lit(Nil.UNDEFINED);
                body.add(new DeclStmt(null, name, init));
            }
        } while (p.acceptPunct(","));
        p.endStatement();
    }

    private void importDeclaration(Parser p) {
        p.expectName(); // import
        if (p.atName("type") && !p.peekIs(1, ",") && !p.peekIsName(1, "from")) {
            return; // import type …: erased
        }
        if (p.at(Tok.Kind.STR)) {
            String spec = p.next().text;
            sideEffectImport(spec);
            return;
        }
        List<String[]> bindings = new ArrayList<>(); // {imported name or "*"/"default", local}
        do {
            if (p.acceptPunct("*")) {
                p.expectName(); // as
                bindings.add(new String[] {"*", p.expectName()});
            } else if (p.at(Tok.Kind.PUNCT) && p.peek(0).text.equals("{")) {
                for (String[] n : p.objectPattern()) {
                    if (n[0] != null) {
                        bindings.add(n);
                    }
                }
            } else {
                bindings.add(new String[] {"default", p.expectName()});
            }
        } while (p.acceptPunct(","));
        if (!p.acceptName("from")) {
            throw new NotStatic("an import the reader does not follow");
        }
        String spec = p.next().text;
        Object module = module(spec);
        for (String[] b : bindings) {
            scope.put(b[1], b[0].equals("*") || b[0].equals("default") ? module : member(module, b[0], false));
        }
    }

    private void sideEffectImport(String spec) {
        switch (spec) {
            case "dotenv/config" -> dotenvConfig(Map.of(), true);
            case "prisma/config", "@prisma/config", "path", "node:path", "url", "node:url", "process", "node:process" -> {}
            default -> throw new NotStatic("import '" + spec + "'");
        }
    }

    private Object module(String spec) {
        return switch (spec) {
            case "prisma/config", "@prisma/config" -> Builtin.PRISMA_CONFIG_MODULE;
            case "path", "node:path" -> Builtin.PATH;
            case "dotenv" -> Builtin.DOTENV;
            case "url", "node:url" -> Builtin.URL_MODULE;
            case "process", "node:process" -> Builtin.PROCESS;
            case "dotenv/config" -> {
                dotenvConfig(Map.of(), true);
                yield Nil.UNDEFINED;
            }
            default -> throw new NotStatic("import from '" + spec + "'");
        };
    }

    /**
     * dotenv's config(options): DOTENV_CONFIG_PATH and friends are its options through
     * {@code dotenv/config} only. The vault (DOTENV_KEY) and options beyond path, override, quiet
     * and debug are not followed.
     */
    private void dotenvConfig(Map<String, Object> options, boolean fromEnvOptions) {
        if (env.containsKey("DOTENV_KEY") || (fromEnvOptions && env.containsKey("DOTENV_CONFIG_DOTENV_KEY"))) {
            throw new NotStatic("dotenv with DOTENV_KEY (an encrypted .env.vault)");
        }
        Object path = options.getOrDefault("path", Nil.UNDEFINED);
        Object override = options.getOrDefault("override", Nil.UNDEFINED);
        for (String k : options.keySet()) {
            if (!Set.of("path", "override", "quiet", "debug").contains(k)) {
                throw new NotStatic("dotenv.config option '" + k + "'");
            }
        }
        if (fromEnvOptions) {
            if (env.containsKey("DOTENV_CONFIG_ENCODING") || env.containsKey("DOTENV_CONFIG_OVERRIDE")) {
                throw new NotStatic("dotenv/config with DOTENV_CONFIG_ENCODING or DOTENV_CONFIG_OVERRIDE");
            }
            if (env.containsKey("DOTENV_CONFIG_PATH")) {
                path = new Str(env.get("DOTENV_CONFIG_PATH"));
            }
        }
        List<Path> files = new ArrayList<>();
        if (path instanceof Nil || (path instanceof Str s && s.value().isEmpty())) {
            files.add(cwd.resolve(".env"));
        } else if (path instanceof Str s) {
            files.add(dotenvPath(s.value()));
        } else if (path instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Str s)) {
                    throw new NotStatic("a dotenv path that is not a string");
                }
                files.add(dotenvPath(s.value()));
            }
        } else {
            throw new NotStatic("a dotenv path that is not a string");
        }
        DotEnv.load(files, truthy(override), env);
    }

    private Path dotenvPath(String p) {
        if (p.startsWith("~")) {
            throw new NotStatic("a dotenv path under ~");
        }
        return Path.of(NodePath.resolve(cwd.toString(), p));
    }

    // ---- the result, as Prisma's schema checks it ---------------------------------------------

    /**
     * parseDefaultExport: what defineConfig returned is taken as it is (branded: no schema check;
     * it kept only the keys it knows); a plain object is checked against PrismaConfigShape, where
     * an unknown key or a wrong type is Prisma's ConfigFileSyntaxError, and then goes through
     * defineConfig.
     */
    private Result interpret(Object config) {
        Map<String, Object> c = object(config, "the default export");
        if (!defined.containsKey(c)) {
            checkShape(c);
            c = defineConfig(c);
        }
        Map<String, Object> datasource = section(c, "datasource");
        Map<String, Object> migrations = section(c, "migrations");
        Str schema = pathString(c, "schema");
        Str migrationsPath = pathString(migrations, "path");
        Object urlValue = datasource.getOrDefault("url", Nil.UNDEFINED);
        if (!(urlValue instanceof Nil) && !(urlValue instanceof Str)) {
            throw new NotStatic("datasource.url that is not a string");
        }
        Str url = urlValue instanceof Str u ? u : null;
        List<String> externalTables = strings(section(c, "tables"), "tables.external");
        List<String> externalEnums = strings(section(c, "enums"), "enums.external");
        String dir = file.getParent().toString();
        return new Result(absolute(dir, schema), absolute(dir, migrationsPath), url == null ? null : url.value(),
                url == null ? null : url.variable(), externalTables, externalEnums, variablesRead);
    }

    /** The objects defineConfig returned, by identity (no two literals are the same object). */
    private final java.util.IdentityHashMap<Object, Boolean> defined = new java.util.IdentityHashMap<>();

    /** @prisma/config's defineConfig: its experimental-feature check (throws), then only the keys it knows, as it copies them. */
    private Map<String, Object> defineConfig(Map<String, Object> input) {
        Map<String, Object> experimental = input.get("experimental") instanceof Map<?, ?> m ? object(m, "experimental") : Map.of();
        Object tables = input.getOrDefault("tables", Nil.UNDEFINED);
        Object migrations = input.getOrDefault("migrations", Nil.UNDEFINED);
        if (tables instanceof Map<?, ?> t && truthy(orUndefined(t.get("external"))) && !truthy(orUndefined(experimental.get("externalTables")))) {
            throw new Fails("The `tables.external` configuration requires `experimental.externalTables` to be set to `true`.");
        }
        if (migrations instanceof Map<?, ?> m && truthy(orUndefined(m.get("initShadowDb")))
                && !truthy(orUndefined(experimental.get("externalTables")))) {
            throw new Fails("The `migrations.initShadowDb` configuration requires `experimental.externalTables` to be set to `true`.");
        }
        if (input.containsKey("extensions") && input.get("extensions") != Nil.UNDEFINED && !truthy(orUndefined(experimental.get("extensions")))) {
            throw new Fails("The `extensions` configuration requires `experimental.extensions` to be set to `true`.");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : List.of("experimental", "schema", "migrations", "tables", "enums", "typedSql", "views", "extensions")) {
            Object v = input.getOrDefault(k, Nil.UNDEFINED);
            if (truthy(v)) {
                out.put(k, v);
            }
        }
        out.put("datasource", input.getOrDefault("datasource", Nil.UNDEFINED)); // Object.assign(config, { datasource })
        defined.put(out, Boolean.TRUE);
        return out;
    }

    private static Object orUndefined(Object v) {
        return v == null ? Nil.UNDEFINED : v;
    }

    private static final Set<String> KEYS = Set.of("experimental", "datasource", "schema", "migrations", "tables", "enums", "views",
            "typedSql", "extensions");

    /** PrismaConfigShape with onExcessProperty "error", then validateExperimentalFeatures: each failure is Prisma's, certain. */
    private static void checkShape(Map<String, Object> c) {
        for (String k : c.keySet()) {
            if (!KEYS.contains(k)) {
                throw new Fails("the default export is not a Prisma config: unknown key '" + k + "' (Prisma: ConfigFileSyntaxError)");
            }
        }
        Map<String, Object> experimental = shapeObject(c, "experimental", Set.of("externalTables", "extensions"));
        Map<String, Object> datasource = shapeObject(c, "datasource", Set.of("url", "shadowDatabaseUrl"));
        Map<String, Object> migrations = shapeObject(c, "migrations", Set.of("path", "initShadowDb", "seed"));
        Map<String, Object> tables = shapeObject(c, "tables", Set.of("external"));
        Map<String, Object> enums = shapeObject(c, "enums", Set.of("external"));
        shapeString(shapeObject(c, "views", Set.of("path")), "views.path");
        shapeString(shapeObject(c, "typedSql", Set.of("path")), "typedSql.path");
        for (String k : List.of("externalTables", "extensions")) {
            Object v = experimental.getOrDefault(k, Nil.UNDEFINED);
            if (v != Nil.UNDEFINED && !(v instanceof Boolean)) {
                throw new Fails("the default export is not a Prisma config: experimental." + k + " is not a boolean (Prisma: ConfigFileSyntaxError)");
            }
        }
        shapeString(c, "schema");
        shapeString(migrations, "path");
        shapeString(migrations, "initShadowDb");
        shapeString(migrations, "seed");
        shapeString(datasource, "url");
        shapeString(datasource, "shadowDatabaseUrl");
        shapeStrings(tables, "tables.external");
        shapeStrings(enums, "enums.external");
        boolean externalAllowed = Boolean.TRUE.equals(experimental.get("externalTables"));
        // validateExperimentalFeatures of PrismaConfig.ts, in its order and words
        if (truthy(orUndefined(tables.get("external"))) && !externalAllowed) {
            throw new Fails("The `tables.external` configuration requires `experimental.externalTables` to be set to `true`.");
        }
        if (truthy(orUndefined(enums.get("external"))) && !externalAllowed) {
            throw new Fails("The `enums.external` configuration requires `experimental.externalTables` to be set to `true`.");
        }
        if (truthy(orUndefined(migrations.get("initShadowDb"))) && !externalAllowed) {
            throw new Fails("The `migrations.initShadowDb` configuration requires `experimental.externalTables` to be set to `true`.");
        }
        if (truthy(c.getOrDefault("extensions", Nil.UNDEFINED)) && !Boolean.TRUE.equals(experimental.get("extensions"))) {
            throw new Fails("The `extensions` configuration requires `experimental.extensions` to be set to `true`.");
        }
    }

    private static Map<String, Object> shapeObject(Map<String, Object> c, String key, Set<String> keys) {
        Object v = c.getOrDefault(key, Nil.UNDEFINED);
        if (v == Nil.UNDEFINED) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?>)) {
            throw new Fails("the default export is not a Prisma config: " + key + " is not an object (Prisma: ConfigFileSyntaxError)");
        }
        Map<String, Object> m = object(v, key);
        for (String k : m.keySet()) {
            if (!keys.contains(k)) {
                throw new Fails("the default export is not a Prisma config: unknown key '" + key + "." + k + "' (Prisma: ConfigFileSyntaxError)");
            }
        }
        return m;
    }

    private static void shapeString(Map<String, Object> c, String key) {
        Object v = c.getOrDefault(key.substring(key.lastIndexOf('.') + 1), Nil.UNDEFINED);
        if (v != Nil.UNDEFINED && !(v instanceof Str)) {
            throw new Fails("the default export is not a Prisma config: " + key + " is not a string (Prisma: ConfigFileSyntaxError)");
        }
    }

    private static void shapeStrings(Map<String, Object> c, String key) {
        Object v = c.getOrDefault("external", Nil.UNDEFINED);
        if (v == Nil.UNDEFINED) {
            return;
        }
        boolean strings = v instanceof List<?>;
        if (v instanceof List<?> list) {
            for (Object o : list) {
                strings &= o instanceof Str;
            }
        }
        if (!strings) {
            throw new Fails("the default export is not a Prisma config: " + key + " is not an array of strings (Prisma: ConfigFileSyntaxError)");
        }
    }

    /** A section of what defineConfig returned: an object, or none. */
    private static Map<String, Object> section(Map<String, Object> c, String key) {
        Object v = c.getOrDefault(key, Nil.UNDEFINED);
        if (v instanceof Nil) {
            return Map.of();
        }
        if (v instanceof Map<?, ?>) {
            return object(v, key);
        }
        throw new NotStatic(key + " that is not an object");
    }

    /** A path setting: undefined, or a string (transformPathsInConfigToAbsolute throws on anything else that is truthy). */
    private static Str pathString(Map<String, Object> c, String key) {
        Object v = c.getOrDefault(key, Nil.UNDEFINED);
        if (v instanceof Str s) {
            return s;
        }
        if (!truthy(v)) {
            return null;
        }
        throw new NotStatic(key + " that is not a string");
    }

    private static List<String> strings(Map<String, Object> c, String key) {
        Object v = c.getOrDefault("external", Nil.UNDEFINED);
        if (v instanceof Nil) {
            return List.of();
        }
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof Str s)) {
                    throw new NotStatic(key + " with an element that is not a string");
                }
                out.add(s.value());
            }
            return List.copyOf(out);
        }
        throw new NotStatic(key + " that is not an array");
    }

    /** transformPathsInConfigToAbsolute: an empty path is no path; others resolved from the config's folder. */
    private static String absolute(String dir, Str value) {
        return value == null || value.value().isEmpty() ? null : NodePath.resolve(dir, value.value());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String what) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new NotStatic(what + " is not an object literal");
    }

    // ---- expressions --------------------------------------------------------------------------

    private Object eval(Node n) {
        if (++depth > MAX_DEPTH) {
            throw new NotStatic("expressions nested over " + MAX_DEPTH + " deep");
        }
        try {
            return evalNode(n);
        } finally {
            depth--;
        }
    }

    // if-chains, not pattern switches: each switch over types is bootstrapped at its first use,
    // tens of ms in a fresh JVM, and this runs on every container start.
    private Object evalNode(Node n) {
        if (n instanceof Node.Lit l) {
            return l.value();
        }
        if (n instanceof Node.Name name) {
            return name(name.name());
        }
        if (n instanceof Node.Member m) {
            return member(eval(m.object()), m.prop(), m.optional());
        }
        if (n instanceof Node.Call c) {
            return call(c);
        }
        if (n instanceof Node.Logical l) {
            Object a = eval(l.a());
            if (l.op().equals("??")) {
                return a instanceof Nil ? eval(l.b()) : a;
            }
            if (l.op().equals("||")) {
                return truthy(a) ? a : eval(l.b());
            }
            return truthy(a) ? eval(l.b()) : a; // &&
        }
        if (n instanceof Node.Template t) {
            StringBuilder b = new StringBuilder(t.quasis().getFirst());
            for (int i = 0; i < t.exprs().size(); i++) {
                b.append(string(eval(t.exprs().get(i)))).append(t.quasis().get(i + 1));
            }
            return new Str(b.toString());
        }
        if (n instanceof Node.Obj o) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Node.Prop p : o.props()) {
                if (p.key() == null) {
                    Object v = eval(p.value());
                    if (v instanceof Map<?, ?> m) {
                        for (var e : m.entrySet()) {
                            out.put((String) e.getKey(), e.getValue()); // an existing key keeps its place, as in JavaScript
                        }
                    } else if (!(v instanceof Nil) && !(v instanceof Boolean)) {
                        throw new NotStatic("a spread of something other than an object");
                    }
                } else {
                    out.put(p.key(), eval(p.value()));
                }
            }
            return out;
        }
        if (n instanceof Node.Arr a) {
            List<Object> out = new ArrayList<>();
            for (Node e : a.elements()) {
                if (e instanceof Node.Spread s) {
                    Object v = eval(s.arg());
                    if (!(v instanceof List<?> l)) {
                        throw new NotStatic("an array spread of something other than an array");
                    }
                    out.addAll(l);
                } else {
                    out.add(eval(e));
                }
            }
            return out;
        }
        if (n instanceof Node.Cond c) {
            return truthy(eval(c.test())) ? eval(c.a()) : eval(c.b());
        }
        if (n instanceof Node.Binary b) {
            return binary(b.op(), eval(b.a()), eval(b.b()));
        }
        if (n instanceof Node.Unary u) {
            if (u.op().equals("!")) {
                return !truthy(eval(u.arg()));
            }
            throw new NotStatic("the operator " + u.op());
        }
        if (n instanceof Node.Index ix) {
            Object o = eval(ix.object());
            Object k = eval(ix.key());
            if (!(k instanceof Str s)) {
                throw new NotStatic("a computed member that is not a string");
            }
            return member(o, s.value(), ix.optional());
        }
        if (n instanceof Node.MetaProp m) {
            switch (m.prop()) {
                case "dirname":
                    return new Str(file.getParent().toString());
                case "filename":
                    return new Str(file.toString());
                case "url":
                    return new Str(file.toUri().toString());
                default:
                    throw new NotStatic("import.meta." + m.prop());
            }
        }
        if (n instanceof Node.Func) {
            return Builtin.USER_FUNCTION;
        }
        throw new NotStatic("a spread here");
    }

    private Object name(String name) {
        if (scope.containsKey(name)) {
            return scope.get(name);
        }
        return switch (name) {
            case "undefined" -> Nil.UNDEFINED;
            case "process" -> Builtin.PROCESS;
            case "__dirname" -> new Str(file.getParent().toString());
            case "__filename" -> new Str(file.toString());
            case "encodeURIComponent" -> Builtin.ENCODE_URI_COMPONENT;
            case "String" -> Builtin.STRING;
            case "require" -> throw new NotStatic("require other than require('module')");
            default -> throw new NotStatic("the name '" + name + "'");
        };
    }

    private Object member(Object o, String prop, boolean optional) {
        if (o instanceof Nil) {
            if (optional) {
                return Nil.UNDEFINED;
            }
            throw new NotStatic("a property of " + (o == Nil.NULL ? "null" : "undefined")); // a TypeError in Node
        }
        if (o == Builtin.PROCESS) {
            return switch (prop) {
                case "env" -> Builtin.PROCESS_ENV;
                case "cwd" -> Builtin.PROCESS_CWD;
                default -> throw new NotStatic("process." + prop);
            };
        }
        if (o == Builtin.PROCESS_ENV) {
            variablesRead.add(prop);
            String v = env.get(prop);
            return v == null ? Nil.UNDEFINED : new Str(v, prop);
        }
        if (o instanceof Map<?, ?> m) {
            Object v = m.get(prop);
            return v == null ? Nil.UNDEFINED : v;
        }
        if (o == Builtin.PRISMA_CONFIG_MODULE) {
            return switch (prop) {
                case "defineConfig" -> Builtin.DEFINE_CONFIG;
                case "env" -> Builtin.ENV;
                default -> throw new NotStatic("prisma/config's " + prop);
            };
        }
        if (o == Builtin.PATH) {
            return switch (prop) {
                case "join" -> Builtin.PATH_JOIN;
                case "resolve" -> Builtin.PATH_RESOLVE;
                case "dirname" -> Builtin.PATH_DIRNAME;
                case "basename" -> Builtin.PATH_BASENAME;
                default -> throw new NotStatic("path." + prop);
            };
        }
        if (o == Builtin.DOTENV && prop.equals("config")) {
            return Builtin.DOTENV_CONFIG;
        }
        if (o == Builtin.URL_MODULE && prop.equals("fileURLToPath")) {
            return Builtin.FILE_URL_TO_PATH;
        }
        throw new NotStatic("the property '" + prop + "' of " + describe(o));
    }

    private Object call(Node.Call c) {
        if (c.callee() instanceof Node.Name n && n.name().equals("require") && !scope.containsKey("require")) {
            if (c.args().size() == 1 && c.args().getFirst() instanceof Node.Lit l && l.value() instanceof Str s) {
                return module(s.value());
            }
            throw new NotStatic("require of something other than a string");
        }
        Object callee = eval(c.callee());
        List<Object> args = new ArrayList<>();
        for (Node a : c.args()) {
            if (a instanceof Node.Spread) {
                throw new NotStatic("a spread argument");
            }
            args.add(eval(a));
        }
        if (!(callee instanceof Builtin b)) {
            throw new NotStatic("a call of " + describe(callee));
        }
        return switch (b) {
            case DEFINE_CONFIG -> {
                if (args.size() != 1) {
                    throw new NotStatic("defineConfig with " + args.size() + " arguments");
                }
                yield defineConfig(object(args.getFirst(), "defineConfig's argument"));
            }
            case ENV -> {
                String name = string(arg(args, 0));
                variablesRead.add(name);
                String v = env.get(name);
                if (v == null || v.isEmpty()) {
                    throw new Fails("Cannot resolve environment variable: " + name + ".");
                }
                yield new Str(v, name);
            }
            case PATH_JOIN -> new Str(NodePath.join(strings(args)));
            case PATH_RESOLVE -> new Str(NodePath.resolve(cwd.toString(), strings(args).toArray(new String[0])));
            case PATH_DIRNAME -> new Str(NodePath.dirname(string(arg(args, 0))));
            case PATH_BASENAME -> {
                if (args.size() != 1) {
                    throw new NotStatic("path.basename with a suffix");
                }
                yield new Str(NodePath.basename(string(arg(args, 0))));
            }
            case PROCESS_CWD -> new Str(cwd.toString());
            case ENCODE_URI_COMPONENT -> new Str(encodeUriComponent(string(arg(args, 0))));
            case STRING -> new Str(args.isEmpty() ? "" : string(args.getFirst()));
            case FILE_URL_TO_PATH -> {
                String u = string(arg(args, 0));
                if (!u.startsWith("file:///")) {
                    throw new NotStatic("fileURLToPath of something other than a file URL");
                }
                yield new Str(Path.of(URI.create(u)).toString());
            }
            case DOTENV_CONFIG -> {
                Object options = args.isEmpty() ? Nil.UNDEFINED : args.getFirst();
                dotenvConfig(options instanceof Nil ? Map.of() : object(options, "dotenv.config's options"), false);
                yield new LinkedHashMap<String, Object>(); // { parsed }: only ever discarded by the shapes read here
            }
            default -> throw new NotStatic("a call of " + b);
        };
    }

    private static Object arg(List<Object> args, int i) {
        return i < args.size() ? args.get(i) : Nil.UNDEFINED;
    }

    private static List<String> strings(List<Object> args) {
        List<String> out = new ArrayList<>();
        for (Object a : args) {
            if (!(a instanceof Str s)) {
                throw new NotStatic("a path argument that is not a string"); // path.join throws a TypeError
            }
            out.add(s.value());
        }
        return out;
    }

    private Object binary(String op, Object a, Object b) {
        return switch (op) {
            case "+" -> {
                if (a instanceof Str || b instanceof Str) {
                    yield new Str(string(a) + string(b));
                }
                if (a instanceof Double x && b instanceof Double y) {
                    yield x + y;
                }
                throw new NotStatic("+ of " + describe(a) + " and " + describe(b));
            }
            case "===", "!==" -> {
                boolean eq = strictEquals(a, b);
                yield op.equals("===") == eq;
            }
            case "==", "!=" -> {
                boolean eq;
                if (a instanceof Nil && b instanceof Nil) {
                    eq = true;
                } else if (a instanceof Nil || b instanceof Nil) {
                    eq = false; // null/undefined equal only each other
                } else if (sameType(a, b)) {
                    eq = strictEquals(a, b);
                } else {
                    throw new NotStatic(op + " between different types");
                }
                yield op.equals("==") == eq;
            }
            default -> throw new NotStatic("the operator " + op);
        };
    }

    private static boolean sameType(Object a, Object b) {
        return (a instanceof Str && b instanceof Str) || (a instanceof Double && b instanceof Double)
                || (a instanceof Boolean && b instanceof Boolean);
    }

    private static boolean strictEquals(Object a, Object b) {
        if (a instanceof Str x && b instanceof Str y) {
            return x.value().equals(y.value());
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof Map<?, ?> || a instanceof List<?>) {
            return a == b;
        }
        return a.equals(b);
    }

    static boolean truthy(Object v) {
        if (v instanceof Nil) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Str s) {
            return !s.value().isEmpty();
        }
        if (v instanceof Double d) {
            return d != 0 && !d.isNaN();
        }
        return true;
    }

    /** ToString of a primitive; objects are not followed. */
    static String string(Object v) {
        if (v instanceof Str s) {
            return s.value();
        }
        if (v instanceof Nil n) {
            return n == Nil.NULL ? "null" : "undefined";
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        if (v instanceof Double d) {
            if (d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15) {
                return Long.toString(d.longValue());
            }
            throw new NotStatic("a number that is not a whole number");
        }
        throw new NotStatic("the string of " + describe(v));
    }

    private static String describe(Object v) {
        if (v instanceof Str) {
            return "a string";
        }
        if (v instanceof Nil n) {
            return n == Nil.NULL ? "null" : "undefined";
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        if (v instanceof List<?>) {
            return "an array";
        }
        if (v instanceof Builtin b) {
            return b.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
        return v.getClass().getSimpleName();
    }

    /** encodeURIComponent: UTF-8 bytes escaped but for A-Z a-z 0-9 - _ . ! ~ * ' ( ); a lone surrogate throws there. */
    static String encodeUriComponent(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.!~*'()".indexOf(c) >= 0) {
                b.append(c);
                continue;
            }
            int cp;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                throw new NotStatic("encodeURIComponent of a lone surrogate (a URIError in Node)");
            } else {
                cp = c;
            }
            for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                b.append('%').append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(x & 0xF, 16)));
            }
        }
        return b.toString();
    }

    // ---- syntax -------------------------------------------------------------------------------

    sealed interface Node {
        record Lit(Object value) implements Node {}

        record Name(String name) implements Node {}

        record Template(List<String> quasis, List<Node> exprs) implements Node {}

        record MetaProp(String prop) implements Node {}

        record Member(Node object, String prop, boolean optional) implements Node {}

        record Index(Node object, Node key, boolean optional) implements Node {}

        record Call(Node callee, List<Node> args) implements Node {}

        record Unary(String op, Node arg) implements Node {}

        record Logical(String op, Node a, Node b) implements Node {}

        record Binary(String op, Node a, Node b) implements Node {}

        record Cond(Node test, Node a, Node b) implements Node {}

        /** key null: a spread. */
        record Prop(String key, Node value) {}

        record Obj(List<Prop> props) implements Node {}

        record Arr(List<Node> elements) implements Node {}

        record Spread(Node arg) implements Node {}

        /** A function, parsed over and never run: reading it (not just passing it by) is NotStatic. */
        record Func() implements Node {}
    }

    record Tok(Kind kind, String text, Object extra) {
        enum Kind { NAME, STR, NUM, TEMPLATE, PUNCT, EOF }
    }

    /** Template parts: cooked strings and the tokens of each ${…}. */
    record TemplateParts(List<String> quasis, List<List<Tok>> exprs) {}

    static final class Lexer {
        private static final String[] PUNCTS = {"...", "===", "!==", "??=", "||=", "&&=", "=>", "==", "!=", "??", "?.", "||", "&&",
            "<=", ">=", "++", "--", "+=", "-=", "**", "{", "}", "(", ")", "[", "]", ";", ",", "<", ">", "+", "-", "*", "/", "%", "&",
            "|", "^", "!", "~", "?", ":", "=", ".", "@", "#"};
        private final String s;
        private int i;

        Lexer(String s) {
            this.s = s;
        }

        List<Tok> tokens() {
            List<Tok> out = lex(false);
            out.add(new Tok(Tok.Kind.EOF, "", null));
            return out;
        }

        /** Until the end, or (inTemplate) the } that closes a ${. */
        private int templates;

        private List<Tok> lex(boolean inTemplate) {
            if (inTemplate && ++templates > MAX_DEPTH) {
                throw new NotStatic("templates nested over " + MAX_DEPTH + " deep");
            }
            List<Tok> out = new ArrayList<>();
            int braces = 0;
            while (true) {
                skipSpaceAndComments();
                if (i >= s.length()) {
                    if (inTemplate) {
                        throw new NotStatic("an unterminated template");
                    }
                    return out;
                }
                char c = s.charAt(i);
                if (inTemplate && c == '}' && braces == 0) {
                    i++;
                    return out;
                }
                if (Character.isJavaIdentifierStart(c) && c != '\\') {
                    int start = i;
                    while (i < s.length() && Character.isJavaIdentifierPart(s.charAt(i)) && s.charAt(i) != '\\') {
                        i++;
                    }
                    out.add(new Tok(Tok.Kind.NAME, s.substring(start, i), null));
                } else if (c >= '0' && c <= '9' || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                    int start = i;
                    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '_')) {
                        i++;
                    }
                    String num = s.substring(start, i).replace("_", "");
                    try {
                        out.add(new Tok(Tok.Kind.NUM, num, Double.parseDouble(num)));
                    } catch (NumberFormatException e) {
                        throw new NotStatic("the number " + num);
                    }
                } else if (c == '\'' || c == '"') {
                    out.add(new Tok(Tok.Kind.STR, string(c), null));
                } else if (c == '`') {
                    i++;
                    out.add(new Tok(Tok.Kind.TEMPLATE, "`", template()));
                } else {
                    String p = null;
                    for (String candidate : PUNCTS) {
                        if (s.startsWith(candidate, i)) {
                            p = candidate;
                            break;
                        }
                    }
                    if (p == null) {
                        throw new NotStatic("the character '" + c + "'");
                    }
                    if (p.equals("?.") && i + 2 < s.length() && Character.isDigit(s.charAt(i + 2))) {
                        p = "?"; // a ? .5 : b
                    }
                    if (p.equals("/")) {
                        throw new NotStatic("a division or a regular expression");
                    }
                    i += p.length();
                    if (p.equals("{")) {
                        braces++;
                    } else if (p.equals("}")) {
                        braces--;
                    }
                    out.add(new Tok(Tok.Kind.PUNCT, p, null));
                }
            }
        }

        private void skipSpaceAndComments() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c) || c == '\u00A0' || c == '\uFEFF' || c == '\u2028' || c == '\u2029') {
                    i++;
                } else if (s.startsWith("//", i) || (i == 0 && s.startsWith("#!"))) {
                    while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                        i++;
                    }
                } else if (s.startsWith("/*", i)) {
                    int end = s.indexOf("*/", i + 2);
                    if (end < 0) {
                        throw new NotStatic("an unterminated comment");
                    }
                    i = end + 2;
                } else {
                    return;
                }
            }
        }

        private String string(char quote) {
            i++;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw new NotStatic("an unterminated string");
                }
                char c = s.charAt(i++);
                if (c == quote) {
                    return b.toString();
                }
                if (c == '\n' || c == '\r') {
                    throw new NotStatic("a line break in a string");
                }
                if (c == '\\') {
                    escape(b);
                } else {
                    b.append(c);
                }
            }
        }

        private TemplateParts template() {
            List<String> quasis = new ArrayList<>();
            List<List<Tok>> exprs = new ArrayList<>();
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw new NotStatic("an unterminated template");
                }
                char c = s.charAt(i++);
                if (c == '`') {
                    quasis.add(b.toString());
                    return new TemplateParts(quasis, exprs);
                }
                if (c == '$' && i < s.length() && s.charAt(i) == '{') {
                    i++;
                    quasis.add(b.toString());
                    b.setLength(0);
                    List<Tok> e = lex(true);
                    e.add(new Tok(Tok.Kind.EOF, "", null));
                    exprs.add(e);
                } else if (c == '\\') {
                    escape(b);
                } else if (c == '\r') {
                    b.append('\n'); // template line breaks are normalised to \n
                    if (i < s.length() && s.charAt(i) == '\n') {
                        i++;
                    }
                } else {
                    b.append(c);
                }
            }
        }

        private void escape(StringBuilder b) {
            if (i >= s.length()) {
                throw new NotStatic("an unterminated escape");
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'v' -> b.append('\u000B');
                case '0' -> {
                    if (i < s.length() && Character.isDigit(s.charAt(i))) {
                        throw new NotStatic("an octal escape");
                    }
                    b.append('\0');
                }
                case 'x' -> b.append((char) hex(2));
                case 'u' -> {
                    if (i < s.length() && s.charAt(i) == '{') {
                        int end = s.indexOf('}', i);
                        if (end < 0) {
                            throw new NotStatic("a bad \\u{} escape");
                        }
                        try {
                            b.appendCodePoint(Integer.parseInt(s.substring(i + 1, end), 16));
                        } catch (IllegalArgumentException ex) {
                            throw new NotStatic("a bad \\u{} escape");
                        }
                        i = end + 1;
                    } else {
                        b.append((char) hex(4));
                    }
                }
                case '\r' -> {
                    if (i < s.length() && s.charAt(i) == '\n') {
                        i++;
                    }
                }
                case '\n', '\u2028', '\u2029' -> {}
                default -> {
                    if (e >= '1' && e <= '9') {
                        throw new NotStatic("an octal escape");
                    }
                    b.append(e);
                }
            }
        }

        private int hex(int n) {
            if (i + n > s.length()) {
                throw new NotStatic("a bad escape");
            }
            try {
                int v = Integer.parseInt(s.substring(i, i + n), 16);
                i += n;
                return v;
            } catch (NumberFormatException ex) {
                throw new NotStatic("a bad escape");
            }
        }
    }

    /** Precedence climbing over the expression forms listed in the class comment. */
    static final class Parser {
        private final List<Tok> t;
        int i;

        Parser(List<Tok> tokens) {
            this.t = tokens;
        }

        Tok peek(int k) {
            return t.get(Math.min(i + k, t.size() - 1));
        }

        Tok next() {
            Tok x = peek(0);
            if (x.kind != Tok.Kind.EOF) {
                i++;
            }
            return x;
        }

        boolean at(Tok.Kind k) {
            return peek(0).kind == k;
        }

        boolean atName(String name) {
            return peek(0).kind == Tok.Kind.NAME && peek(0).text.equals(name);
        }

        boolean peekIs(int k, String punct) {
            return peek(k).kind == Tok.Kind.PUNCT && peek(k).text.equals(punct);
        }

        boolean peekIsName(int k, String name) {
            return peek(k).kind == Tok.Kind.NAME && peek(k).text.equals(name);
        }

        boolean acceptPunct(String p) {
            if (peekIs(0, p)) {
                i++;
                return true;
            }
            return false;
        }

        boolean acceptName(String n) {
            if (atName(n)) {
                i++;
                return true;
            }
            return false;
        }

        void expectPunct(String p) {
            if (!acceptPunct(p)) {
                throw new NotStatic("'" + p + "' expected, found '" + peek(0).text + "'");
            }
        }

        String expectName() {
            if (!at(Tok.Kind.NAME)) {
                throw new NotStatic("a name expected, found '" + peek(0).text + "'");
            }
            return next().text;
        }

        void endStatement() {
            if (!acceptPunct(";") && !at(Tok.Kind.EOF) && !peekIs(0, "}")) {
                // automatic semicolon insertion: the next statement starts with a keyword or a name
                if (!at(Tok.Kind.NAME)) {
                    throw new NotStatic("'" + peek(0).text + "' where a statement ends");
                }
            }
        }

        /** {@code if (test) throw new Error(message);}, with or without braces; any other if is not followed. */
        GuardStmt guard() {
            next(); // if
            expectPunct("(");
            Node test = expression();
            expectPunct(")");
            boolean braces = acceptPunct("{");
            if (!acceptName("throw") || !acceptName("new") || !(atName("Error") || atName("TypeError") || atName("RangeError"))) {
                throw new NotStatic("`if` other than a guard that throws an Error");
            }
            next();
            expectPunct("(");
            Node message = peekIs(0, ")") ? null : assignment();
            if (!acceptPunct(")")) {
                throw new NotStatic("an Error with more than a message");
            }
            acceptPunct(";");
            if (braces) {
                expectPunct("}");
            }
            if (atName("else")) {
                throw new NotStatic("`if … else`");
            }
            return new GuardStmt(test, message);
        }

        /** import …; up to its module string (and an optional `with { … }` is not followed). */
        void skipImport() {
            next();
            while (!at(Tok.Kind.EOF)) {
                Tok x = next();
                if (x.kind == Tok.Kind.STR) {
                    if (atName("with") || atName("assert")) {
                        throw new NotStatic("an import with attributes");
                    }
                    acceptPunct(";");
                    return;
                }
            }
            throw new NotStatic("an unterminated import");
        }

        /** { a, b as c, type D } or { a, b: c } : pairs of {property, local}; property null for a type-only one. */
        List<String[]> objectPattern() {
            expectPunct("{");
            List<String[]> out = new ArrayList<>();
            while (!acceptPunct("}")) {
                boolean typeOnly = atName("type") && peek(1).kind == Tok.Kind.NAME;
                if (typeOnly) {
                    next();
                }
                String name = at(Tok.Kind.STR) ? next().text : expectName();
                String local = name;
                if (acceptName("as") || acceptPunct(":")) {
                    local = expectName();
                }
                if (peekIs(0, "=")) {
                    throw new NotStatic("a default in a destructuring");
                }
                out.add(new String[] {typeOnly ? null : name, local});
                if (!acceptPunct(",")) {
                    expectPunct("}");
                    break;
                }
            }
            return out;
        }

        /** `: Type` after a declared name. */
        void skipAnnotation() {
            if (acceptPunct(":")) {
                skipType();
            }
        }

        /** type X = …; / interface X { … } */
        void skipTypeDeclaration() {
            int depth = 0;
            while (!at(Tok.Kind.EOF)) {
                Tok x = next();
                if (x.kind == Tok.Kind.PUNCT && (x.text.equals("{") || x.text.equals("(") || x.text.equals("[") || x.text.equals("<"))) {
                    depth++;
                } else if (x.kind == Tok.Kind.PUNCT && (x.text.equals("}") || x.text.equals(")") || x.text.equals("]") || x.text.equals(">"))) {
                    depth--;
                    if (depth == 0 && x.text.equals("}") && !peekIs(0, "|") && !peekIs(0, "&") && !peekIs(0, "[")) {
                        acceptPunct(";");
                        return;
                    }
                } else if (depth == 0 && x.kind == Tok.Kind.PUNCT && x.text.equals(";")) {
                    return;
                }
            }
        }

        /** A type: names, dots, generics, unions, arrays, literal types; stops where an expression part resumes. */
        void skipType() {
            int depth = 0;
            while (!at(Tok.Kind.EOF)) {
                Tok x = peek(0);
                if (x.kind == Tok.Kind.PUNCT) {
                    switch (x.text) {
                        case "<", "(", "[", "{" -> depth++;
                        case ">", ")", "]", "}" -> {
                            if (depth == 0) {
                                return;
                            }
                            depth--;
                        }
                        case "=", ",", ";", "?", ":", "??", "||", "&&" -> {
                            if (depth == 0) {
                                return;
                            }
                        }
                        case "=>" -> {}
                        default -> {}
                    }
                } else if (depth == 0 && x.kind == Tok.Kind.NAME && i > 0) {
                    Tok prev = t.get(i - 1);
                    boolean continues = prev.kind == Tok.Kind.PUNCT && (prev.text.equals(".") || prev.text.equals("|")
                            || prev.text.equals("&") || prev.text.equals(":") || prev.text.equals("<") || prev.text.equals(","))
                            || (prev.kind == Tok.Kind.NAME && (prev.text.equals("as") || prev.text.equals("satisfies")
                                    || prev.text.equals("keyof") || prev.text.equals("typeof") || prev.text.equals("readonly")));
                    if (!continues) {
                        return;
                    }
                } else if (depth == 0 && (x.kind == Tok.Kind.STR || x.kind == Tok.Kind.NUM)) {
                    Tok prev = t.get(i - 1);
                    boolean continues = prev.kind == Tok.Kind.PUNCT && (prev.text.equals("|") || prev.text.equals(":"))
                            || (prev.kind == Tok.Kind.NAME && (prev.text.equals("as") || prev.text.equals("satisfies")));
                    if (!continues) {
                        return;
                    }
                }
                next();
            }
        }

        Node expression() {
            Node e = assignment();
            if (peekIs(0, ",")) {
                throw new NotStatic("a comma expression");
            }
            return e;
        }

        Node assignment() {
            if (atName("async") && (peekIs(1, "(") || peekIsName(1, "function") || (peek(1).kind == Tok.Kind.NAME && peekIs(2, "=>")))) {
                next();
                return skipFunction();
            }
            if (atName("function") || (at(Tok.Kind.NAME) && peekIs(1, "=>")) || (peekIs(0, "(") && arrowAhead())) {
                return skipFunction();
            }
            Node e = conditional();
            if (at(Tok.Kind.PUNCT) && Set.of("=", "+=", "-=", "??=", "||=", "&&=").contains(peek(0).text)) {
                throw new NotStatic("an assignment");
            }
            return e;
        }

        /**
         * A function expression or arrow function, skipped token by token (its body is never run
         * here: a config whose value needs it is NotStatic when that value is read).
         */
        private Node skipFunction() {
            if (acceptName("function")) {
                acceptPunct("*");
                if (at(Tok.Kind.NAME)) {
                    next();
                }
                skipBalanced();
                if (!peekIs(0, "{")) {
                    throw new NotStatic("a function with a return type");
                }
                skipBalanced();
                return new Node.Func();
            }
            if (at(Tok.Kind.NAME)) {
                next();
            } else {
                skipBalanced();
            }
            if (!acceptPunct("=>")) {
                throw new NotStatic("an arrow function with a return type");
            }
            if (peekIs(0, "{")) {
                skipBalanced();
            } else {
                int depth = 0; // an expression body: up to the , ; ) ] } that ends it
                while (!at(Tok.Kind.EOF)) {
                    Tok x = peek(0);
                    if (x.kind == Tok.Kind.PUNCT) {
                        if (x.text.equals("(") || x.text.equals("[") || x.text.equals("{")) {
                            depth++;
                        } else if (x.text.equals(")") || x.text.equals("]") || x.text.equals("}")) {
                            if (depth == 0) {
                                break;
                            }
                            depth--;
                        } else if (depth == 0 && (x.text.equals(",") || x.text.equals(";"))) {
                            break;
                        }
                    }
                    next();
                }
            }
            return new Node.Func();
        }

        /** From an opening ( [ or { to its match, inclusive. */
        private void skipBalanced() {
            int depth = 0;
            do {
                Tok x = next();
                if (x.kind == Tok.Kind.EOF) {
                    throw new NotStatic("an unterminated function");
                }
                if (x.kind == Tok.Kind.PUNCT && (x.text.equals("(") || x.text.equals("[") || x.text.equals("{"))) {
                    depth++;
                } else if (x.kind == Tok.Kind.PUNCT && (x.text.equals(")") || x.text.equals("]") || x.text.equals("}"))) {
                    depth--;
                }
            } while (depth > 0);
        }

        private boolean arrowAhead() {
            int depth = 0;
            for (int k = i; k < t.size(); k++) {
                Tok x = t.get(k);
                if (x.kind == Tok.Kind.PUNCT && x.text.equals("(")) {
                    depth++;
                } else if (x.kind == Tok.Kind.PUNCT && x.text.equals(")")) {
                    depth--;
                    if (depth == 0) {
                        Tok after = k + 1 < t.size() ? t.get(k + 1) : null;
                        return after != null && after.kind == Tok.Kind.PUNCT && (after.text.equals("=>") || after.text.equals(":"));
                    }
                }
            }
            return false;
        }

        Node conditional() {
            Node test = nullish();
            if (acceptPunct("?")) {
                Node a = assignment();
                expectPunct(":");
                Node b = assignment();
                return new Node.Cond(test, a, b);
            }
            return test;
        }

        Node nullish() {
            Node a = or();
            while (acceptPunct("??")) {
                a = new Node.Logical("??", a, or());
            }
            return a;
        }

        Node or() {
            Node a = and();
            while (acceptPunct("||")) {
                a = new Node.Logical("||", a, and());
            }
            return a;
        }

        Node and() {
            Node a = equality();
            while (acceptPunct("&&")) {
                a = new Node.Logical("&&", a, equality());
            }
            return a;
        }

        Node equality() {
            Node a = additive();
            while (at(Tok.Kind.PUNCT) && Set.of("===", "!==", "==", "!=").contains(peek(0).text)) {
                String op = next().text;
                a = new Node.Binary(op, a, additive());
            }
            if (at(Tok.Kind.PUNCT) && Set.of("<", ">", "<=", ">=", "|", "&", "^").contains(peek(0).text)) {
                throw new NotStatic("the operator " + peek(0).text);
            }
            return a;
        }

        Node additive() {
            Node a = postfixTypes();
            while (true) {
                if (acceptPunct("+")) {
                    a = new Node.Binary("+", a, postfixTypes());
                } else if (at(Tok.Kind.PUNCT) && Set.of("-", "*", "%", "**").contains(peek(0).text)) {
                    throw new NotStatic("the operator " + peek(0).text);
                } else {
                    return a;
                }
            }
        }

        /** `x as T`, `x satisfies T`: the type is erased. */
        Node postfixTypes() {
            Node a = unary();
            while (atName("as") || atName("satisfies")) {
                next();
                skipType();
            }
            return a;
        }

        private int depth;

        Node unary() {
            // nesting is bounded (each level is a few frames of this recursive descent): no input overflows the stack
            if (++depth > MAX_DEPTH) {
                throw new NotStatic("expressions nested over " + MAX_DEPTH + " deep");
            }
            try {
                return unaryInner();
            } finally {
                depth--;
            }
        }

        private Node unaryInner() {
            if (acceptPunct("!")) {
                return new Node.Unary("!", unary());
            }
            if (at(Tok.Kind.PUNCT) && Set.of("-", "+", "~", "++", "--").contains(peek(0).text)) {
                throw new NotStatic("the operator " + peek(0).text);
            }
            if (atName("typeof") || atName("void") || atName("delete") || atName("await") || atName("new")) {
                throw new NotStatic("`" + peek(0).text + "`");
            }
            if (peekIs(0, "<")) {
                throw new NotStatic("a type assertion");
            }
            return postfix(primary());
        }

        Node postfix(Node e) {
            while (true) {
                if (acceptPunct(".")) {
                    e = new Node.Member(e, expectPropertyName(), false);
                } else if (acceptPunct("?.")) {
                    if (acceptPunct("[")) {
                        Node k = expression();
                        expectPunct("]");
                        e = new Node.Index(e, k, true);
                    } else if (peekIs(0, "(")) {
                        throw new NotStatic("an optional call");
                    } else {
                        e = new Node.Member(e, expectPropertyName(), true);
                    }
                } else if (acceptPunct("[")) {
                    Node k = expression();
                    expectPunct("]");
                    e = new Node.Index(e, k, false);
                } else if (peekIs(0, "(") || (peekIs(0, "<") && genericCallAhead())) {
                    if (peekIs(0, "<")) {
                        next();
                        skipType();
                        expectPunct(">");
                    }
                    expectPunct("(");
                    List<Node> args = new ArrayList<>();
                    while (!acceptPunct(")")) {
                        args.add(acceptPunct("...") ? new Node.Spread(assignment()) : assignment());
                        if (!acceptPunct(",")) {
                            expectPunct(")");
                            break;
                        }
                    }
                    e = new Node.Call(e, args);
                } else if (peekIs(0, "!") && !peekIs(1, "=") && !peekIs(1, "==")) {
                    next(); // TypeScript's non-null assertion
                } else if (at(Tok.Kind.TEMPLATE)) {
                    throw new NotStatic("a tagged template");
                } else {
                    return e;
                }
            }
        }

        /** env<Env>('X'): a < that closes with > right before a ( . */
        private boolean genericCallAhead() {
            int depth = 0;
            for (int k = i; k < t.size() && k < i + 40; k++) {
                Tok x = t.get(k);
                if (x.kind == Tok.Kind.PUNCT && x.text.equals("<")) {
                    depth++;
                } else if (x.kind == Tok.Kind.PUNCT && x.text.equals(">")) {
                    depth--;
                    if (depth == 0) {
                        return k + 1 < t.size() && t.get(k + 1).kind == Tok.Kind.PUNCT && t.get(k + 1).text.equals("(");
                    }
                } else if (x.kind == Tok.Kind.PUNCT && Set.of(";", "(", ")", "{", "}", "?", "??", "||", "&&").contains(x.text)) {
                    return false;
                }
            }
            return false;
        }

        private String expectPropertyName() {
            if (at(Tok.Kind.NAME)) {
                return next().text;
            }
            if (peekIs(0, "#")) {
                throw new NotStatic("a private name");
            }
            throw new NotStatic("a property name expected, found '" + peek(0).text + "'");
        }

        Node primary() {
            Tok x = next();
            switch (x.kind) {
                case STR:
                    return new Node.Lit(new Str(x.text));
                case NUM:
                    return new Node.Lit(x.extra);
                case TEMPLATE: {
                    TemplateParts parts = (TemplateParts) x.extra;
                    List<Node> exprs = new ArrayList<>();
                    for (List<Tok> toks : parts.exprs()) {
                        Parser p = new Parser(toks);
                        exprs.add(p.expression());
                        if (!p.at(Tok.Kind.EOF)) {
                            throw new NotStatic("a template part the reader does not follow");
                        }
                    }
                    return new Node.Template(parts.quasis(), exprs);
                }
                case NAME:
                    return switch (x.text) {
                        case "true" -> new Node.Lit(Boolean.TRUE);
                        case "false" -> new Node.Lit(Boolean.FALSE);
                        case "null" -> new Node.Lit(Nil.NULL);
                        case "import" -> {
                            if (acceptPunct(".") && acceptName("meta")) {
                                expectPunct(".");
                                yield new Node.MetaProp(expectPropertyName());
                            }
                            throw new NotStatic("a dynamic import");
                        }
                        case "function", "class", "async", "this", "super", "yield", "let", "const", "var", "if", "for", "while", "return",
                                "switch", "try", "throw", "do", "new", "export" -> throw new NotStatic("`" + x.text + "`");
                        default -> new Node.Name(x.text);
                    };
                case PUNCT:
                    switch (x.text) {
                        case "(": {
                            Node e = expression();
                            expectPunct(")");
                            return e;
                        }
                        case "{":
                            return objectLiteral();
                        case "[": {
                            List<Node> elements = new ArrayList<>();
                            while (!acceptPunct("]")) {
                                if (peekIs(0, ",")) {
                                    throw new NotStatic("an array hole");
                                }
                                elements.add(acceptPunct("...") ? new Node.Spread(assignment()) : assignment());
                                if (!acceptPunct(",")) {
                                    expectPunct("]");
                                    break;
                                }
                            }
                            return new Node.Arr(elements);
                        }
                        default:
                            throw new NotStatic("'" + x.text + "' where a value belongs");
                    }
                default:
                    throw new NotStatic("the end of the file where a value belongs");
            }
        }

        private Node objectLiteral() {
            List<Node.Prop> props = new ArrayList<>();
            while (!acceptPunct("}")) {
                if (acceptPunct("...")) {
                    props.add(new Node.Prop(null, assignment()));
                } else {
                    Tok k = next();
                    String key = switch (k.kind) {
                        case NAME, STR -> k.text;
                        case NUM -> ConfigScript.string(k.extra);
                        default -> throw new NotStatic("a computed or unusual key");
                    };
                    if ((key.equals("get") || key.equals("set") || key.equals("async")) && at(Tok.Kind.NAME)) {
                        throw new NotStatic("an accessor or method");
                    }
                    if (acceptPunct(":")) {
                        props.add(new Node.Prop(key, assignment()));
                    } else if (peekIs(0, "(")) {
                        throw new NotStatic("a method");
                    } else if (k.kind == Tok.Kind.NAME) {
                        props.add(new Node.Prop(key, new Node.Name(key))); // shorthand
                    } else {
                        throw new NotStatic("a key without a value");
                    }
                }
                if (!acceptPunct(",")) {
                    expectPunct("}");
                    break;
                }
            }
            return new Node.Obj(props);
        }
    }
}
