package dev.prismalauncher.evidence;

import dev.prismalauncher.evidence.SqlLexer.Token;
import dev.prismalauncher.evidence.SqlLexer.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the trial will and will not run, read from one PostgreSQL statement's tokens before it is
 * sent: the trial runs only what a rollback undoes. Refused, with the reason said plainly:
 * transaction control, code it cannot see ({@code DO}, {@code CALL}, {@code EXECUTE}), {@code COPY},
 * {@code NOTIFY}/{@code LISTEN}, statements that cannot run in a transaction ({@code CONCURRENTLY},
 * {@code VACUUM}) or act beyond it ({@code CREATE DATABASE}, {@code ALTER SYSTEM}), sequence
 * functions, {@code dblink}, advisory locks and every other function it does not know to be free
 * of such effects, and any statement it does not recognise. The verb and the first words decide
 * the kind; the whole statement is streamed through for function calls.
 *
 * <p>A data statement's target table is checked later, on the server, inside the trial (see
 * {@link Trial}): a table with triggers or rules, or whose serial/identity sequence an INSERT
 * would advance (unless the same trial created it), is not trialled either.
 */
final class TrialScreen {

    /** A table a data statement writes, as written in the SQL (quotes kept), for to_regclass. */
    record Target(String verb, String name, boolean usesDefaults) {}

    /**
     * @param refusal why the statement is not run, or null when it may be
     * @param changesSettings it may change the session's settings (SET, RESET, set_config): the bounds are applied again after it
     * @param resetsSearchPath it may reset search_path to the server's default (RESET ALL, RESET search_path, SET search_path TO DEFAULT)
     */
    record Screened(String refusal, boolean changesSettings, boolean resetsSearchPath, List<Target> targets) {
        boolean allowed() {
            return refusal == null;
        }
    }

    static Screened screen(String statement) {
        Scan scan = new Scan();
        SqlLexer.tokens(statement, scan::accept);
        return scan.result();
    }

    /** Functions that act outside the transaction; named in the refusal. */
    private static String outside(String f) {
        if (f.equals("nextval") || f.equals("setval")) {
            return "calls " + f + "(), which changes a sequence, and a rollback does not undo that";
        }
        if (f.startsWith("dblink")) {
            return "calls " + f + "(), which acts through another connection that a rollback does not reach";
        }
        if (f.contains("advisory")) {
            return "calls " + f + "(), an advisory lock: a session-level one outlives the rollback, and any can block Prisma's own lock";
        }
        if (f.equals("pg_notify")) {
            return "calls pg_notify(), which signals other sessions";
        }
        if (f.startsWith("lo_import") || f.startsWith("lo_export") || f.startsWith("pg_file_") || f.startsWith("pg_read_")) {
            return "calls " + f + "(), which reads or writes files on the server";
        }
        if (f.equals("pg_terminate_backend") || f.equals("pg_cancel_backend") || f.equals("pg_reload_conf") || f.equals("pg_rotate_logfile")
                || f.startsWith("pg_switch_") || f.startsWith("pg_create_") || f.startsWith("pg_drop_") || f.startsWith("pg_copy_")
                || f.startsWith("pg_replication_") || f.startsWith("pg_logical_") || f.startsWith("pg_stat_reset") || f.startsWith("pg_backup_")
                || f.startsWith("pg_start_backup") || f.startsWith("pg_stop_backup") || f.startsWith("pg_promote") || f.startsWith("pg_wal_")
                || f.startsWith("pg_log_")) {
            return "calls " + f + "(), which acts on the server outside the transaction";
        }
        return null;
    }

    /** Built-in functions without effects outside the transaction (pure, or reading), called by name in migrations. */
    private static final Set<String> KNOWN_FUNCTIONS = Set.of(
            "coalesce", "nullif", "greatest", "least", "cast", "extract", "now", "clock_timestamp", "statement_timestamp",
            "transaction_timestamp", "timeofday", "date_trunc", "date_part", "date_bin", "age", "make_date", "make_time",
            "make_timestamp", "make_timestamptz", "make_interval", "to_char", "to_date", "to_timestamp", "to_number", "timezone",
            "justify_days", "justify_hours", "justify_interval", "isfinite",
            "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v3", "uuid_generate_v4", "uuid_generate_v5",
            "uuid_nil", "uuidv4", "uuidv7", "md5", "sha224", "sha256", "sha384", "sha512", "digest", "hmac", "crypt", "gen_salt",
            "gen_random_bytes", "encode", "decode", "convert_to", "convert_from", "random", "random_normal",
            "lower", "upper", "initcap", "length", "char_length", "character_length", "octet_length", "bit_length", "btrim",
            "ltrim", "rtrim", "trim", "substring", "substr", "replace", "translate", "regexp_replace", "regexp_match",
            "regexp_matches", "regexp_like", "regexp_count", "regexp_substr", "regexp_instr", "regexp_split_to_array",
            "regexp_split_to_table", "split_part", "concat", "concat_ws", "format", "left", "right", "lpad", "rpad", "repeat",
            "reverse", "strpos", "position", "overlay", "quote_ident", "quote_literal", "quote_nullable", "ascii", "chr",
            "starts_with", "unaccent", "normalize", "to_hex", "string_agg", "string_to_array", "array_to_string",
            "abs", "ceil", "ceiling", "floor", "round", "trunc", "mod", "power", "pow", "sqrt", "cbrt", "exp", "ln", "log", "log10",
            "sign", "div", "width_bucket", "pi", "degrees", "radians",
            "to_tsvector", "to_tsquery", "plainto_tsquery", "phraseto_tsquery", "websearch_to_tsquery", "setweight", "strip",
            "array_agg", "array_length", "array_append", "array_prepend", "array_cat", "array_remove", "array_replace",
            "array_position", "array_positions", "array_upper", "array_lower", "array_dims", "array_ndims", "array_fill",
            "unnest", "cardinality", "generate_series", "generate_subscripts",
            "json_build_object", "jsonb_build_object", "json_build_array", "jsonb_build_array", "json_object", "jsonb_object",
            "jsonb_set", "jsonb_set_lax", "jsonb_insert", "jsonb_strip_nulls", "json_strip_nulls", "to_json", "to_jsonb",
            "row_to_json", "array_to_json", "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg",
            "json_array_elements", "jsonb_array_elements", "json_array_elements_text", "jsonb_array_elements_text",
            "json_each", "jsonb_each", "json_each_text", "jsonb_each_text", "json_typeof", "jsonb_typeof",
            "json_array_length", "jsonb_array_length", "jsonb_pretty", "jsonb_path_query", "jsonb_path_exists",
            "jsonb_path_match", "jsonb_path_query_array", "jsonb_path_query_first", "json_extract_path", "jsonb_extract_path",
            "json_extract_path_text", "jsonb_extract_path_text", "json_object_keys", "jsonb_object_keys",
            "count", "sum", "avg", "min", "max", "bool_and", "bool_or", "every", "bit_and", "bit_or",
            "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "lag", "lead", "first_value", "last_value",
            "nth_value", "ntile",
            "current_setting", "set_config", "pg_get_serial_sequence", "currval", "lastval", "current_schema",
            "current_schemas", "current_database", "current_user", "session_user", "version", "pg_typeof", "to_regclass",
            "to_regtype", "to_regproc", "format_type", "pg_get_expr", "obj_description", "col_description", "has_table_privilege",
            "has_schema_privilege", "pg_backend_pid", "txid_current", "pg_current_xact_id", "pg_sleep", "pg_sleep_for");

    /** Type names, called as casts ({@code int4(x)}) or given modifiers ({@code VARCHAR(191)}, {@code vector(1536)}). */
    private static final Set<String> TYPES = Set.of(
            "varchar", "char", "character", "varying", "nchar", "bpchar", "numeric", "decimal", "dec", "timestamp", "timestamptz",
            "time", "timetz", "interval", "bit", "varbit", "float", "float4", "float8", "real", "int", "integer", "smallint",
            "bigint", "int2", "int4", "int8", "text", "boolean", "bool", "date", "uuid", "json", "jsonb", "bytea", "money",
            "inet", "cidr", "macaddr", "xml", "tsvector", "tsquery", "vector", "halfvec", "sparsevec", "geometry", "geography",
            "citext", "oid", "regclass", "regtype", "name");

    /** Keywords that take parentheses: a '(' after them opens syntax, not a call. */
    private static final Set<String> SYNTAX = Set.of(
            "values", "in", "exists", "any", "all", "some", "array", "row", "check", "unique", "key", "enum", "as", "include",
            "with", "over", "filter", "default", "exclude", "range", "list", "hash", "from", "to", "not", "and", "or", "when",
            "then", "else", "case", "select", "where", "having", "set", "reset", "options", "using", "on", "by", "is", "like",
            "ilike", "between", "returns", "table", "conflict", "distinct", "materialized", "lateral", "join", "sets", "cube",
            "rollup", "grouping", "identity", "inherits", "null", "returning", "overlaps", "escape", "similar", "order",
            "partition", "window", "union", "intersect", "except", "limit", "offset", "collate", "stored", "do", "for", "into",
            "of", "only", "if", "variadic", "inout", "out", "precision", "zone", "without", "primary", "foreign", "references",
            "constraint", "nulls", "first", "last", "asc", "desc", "group", "modulus", "remainder",
            // index methods: USING gin (...)
            "btree", "gin", "gist", "spgist", "brin", "bloom", "ivfflat", "hnsw");

    /** A name right after one of these, then '(', is defined or referenced, not called: CREATE TABLE t (, REFERENCES t (. */
    private static final Set<String> DEFINES = Set.of(
            "table", "into", "references", "view", "function", "procedure", "routine", "aggregate", "type", "exists", "only",
            "of", "statistics", "collation", "domain");

    private static final Set<String> TRANSACTION = Set.of("begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release", "prepare");
    private static final Set<String> KINDS = Set.of(
            "create", "alter", "drop", "comment", "grant", "revoke", "select", "insert", "update", "delete", "merge",
            "truncate", "set", "reset", "lock", "with", "values", "table", "show");

    /** Streams the tokens: the first few kept for the head, the rest looked at through a small window. */
    private static final class Scan {
        private static final int HEAD = 16;
        private final List<Token> head = new ArrayList<>();
        private final Token[] window = new Token[4]; // window[0] = the last token before the current one
        private String refusal;
        private boolean setConfig;
        private boolean concurrently;
        private boolean dataWords;
        private boolean defaults;
        private int depth;

        void accept(Token t) {
            if (head.size() < HEAD) {
                head.add(t);
            }
            if (t.is("concurrently")) {
                concurrently = true;
            }
            if (t.is("insert") || t.is("update") || t.is("delete") || t.is("merge")) {
                dataWords = true;
            }
            if (t.is("default")) {
                defaults = true;
            }
            if (t.isSymbol("(")) {
                call();
                depth++;
            } else if (t.isSymbol(")")) {
                depth = Math.max(0, depth - 1);
            }
            System.arraycopy(window, 0, window, 1, window.length - 1);
            window[0] = t;
        }

        /** A '(' just arrived: is the name before it a function being called, and may it be? */
        private void call() {
            Token callee = window[0];
            if (callee == null || callee.kind() != Kind.WORD && callee.kind() != Kind.QUOTED) {
                return;
            }
            boolean qualified = window[1] != null && window[1].isSymbol(".");
            Token qualifier = qualified ? window[2] : null;
            Token context = qualified ? window[3] : window[1];
            String name = callee.name();
            if (name.equals("set_config")) {
                setConfig = true;
            }
            String outside = outside(name);
            if (outside != null) {
                refuse(outside);
                return;
            }
            if (callee.kind() == Kind.WORD && !qualified && (SYNTAX.contains(name) || TYPES.contains(name))) {
                return;
            }
            if (context != null && context.kind() == Kind.WORD && DEFINES.contains(context.name())) {
                return;
            }
            if (context != null && context.is("on") && isIndexStatement()) {
                return; // CREATE INDEX ... ON t (columns)
            }
            boolean catalog = qualifier == null || qualifier.name().equals("pg_catalog");
            if (catalog && KNOWN_FUNCTIONS.contains(name)) {
                return;
            }
            refuse("calls " + (qualifier == null ? "" : qualifier.text() + ".") + callee.text()
                    + "(), a function the trial does not know to be free of effects that a rollback cannot undo");
        }

        private boolean isIndexStatement() {
            return word(0).equals("create") && (word(1).equals("index") || word(1).equals("unique") && word(2).equals("index"));
        }

        private void refuse(String why) {
            if (refusal == null) {
                refusal = why;
            }
        }

        /** The i-th head token's lower-case text if it is a word, else "". */
        private String word(int i) {
            return i < head.size() && head.get(i).kind() == Kind.WORD ? head.get(i).name() : "";
        }

        Screened result() {
            String verb = word(0);
            List<Target> targets = List.of();
            if (head.isEmpty()) {
                return new Screened(null, false, false, targets);
            }
            if (refusal == null) {
                refusal = kind(verb);
            }
            if (refusal == null && concurrently) {
                refusal = "uses CONCURRENTLY, which cannot run inside a transaction";
            }
            if (refusal == null && verb.equals("with") && dataWords) {
                refusal = "is a WITH whose parts may change data (INSERT/UPDATE/DELETE/MERGE inside WITH): the trial does not look into them";
            }
            if (refusal == null) {
                targets = targets(verb);
            }
            boolean settings = verb.equals("set") || verb.equals("reset") || setConfig;
            boolean searchPath = verb.equals("reset") && (word(1).equals("all") || word(1).equals("search_path"))
                    || verb.equals("set") && head.stream().anyMatch(t -> t.is("search_path")) && defaults;
            return new Screened(refusal, settings, searchPath, targets);
        }

        /** The statement's kind, from its first words: null when the trial may run it. */
        private String kind(String verb) {
            if (head.getFirst().kind() != Kind.WORD) {
                return "is not a statement the trial recognises";
            }
            if (TRANSACTION.contains(verb)) {
                return "controls transactions itself (" + verb.toUpperCase(Locale.ROOT) + "), which a trial inside one transaction cannot do";
            }
            if (verb.equals("do") || verb.equals("call") || verb.equals("execute")) {
                return "runs code the trial cannot see into (" + verb.toUpperCase(Locale.ROOT) + ")";
            }
            if (verb.equals("copy")) {
                return "is COPY, which reads or writes outside the database";
            }
            if (verb.equals("notify") || verb.equals("listen") || verb.equals("unlisten")) {
                return "is " + verb.toUpperCase(Locale.ROOT) + ", which signals other sessions";
            }
            if (!KINDS.contains(verb)) {
                return "is " + verb.toUpperCase(Locale.ROOT) + ", not a statement the trial knows a rollback undoes";
            }
            for (int i = 1; i < 4; i++) {
                String w = word(i);
                if ((verb.equals("create") || verb.equals("alter") || verb.equals("drop"))
                        && (w.equals("database") || w.equals("tablespace") || w.equals("subscription") || w.equals("system"))) {
                    return "is " + verb.toUpperCase(Locale.ROOT) + " " + w.toUpperCase(Locale.ROOT) + ", which acts beyond this database's transaction";
                }
            }
            if (verb.equals("set") || verb.equals("reset")) {
                for (Token t : head) {
                    if (t.is("standard_conforming_strings") || t.is("client_encoding") || t.is("names")) {
                        return "sets " + t.text() + ", which changes how the statements after it are read";
                    }
                }
            }
            return null;
        }

        /** The tables a data statement writes: INSERT INTO t, UPDATE t, DELETE FROM t, MERGE INTO t, TRUNCATE [TABLE] t, u. */
        private List<Target> targets(String verb) {
            int i = switch (verb) {
                case "insert", "merge", "delete" -> 2; // INSERT INTO, MERGE INTO, DELETE FROM
                case "update" -> 1;
                case "truncate" -> word(1).equals("table") ? 2 : 1;
                default -> -1;
            };
            if (i < 0) {
                return List.of();
            }
            List<Target> out = new ArrayList<>();
            while (true) {
                if (word(i).equals("only")) {
                    i++;
                }
                StringBuilder name = new StringBuilder();
                while (i < head.size() && (head.get(i).kind() == Kind.WORD || head.get(i).kind() == Kind.QUOTED)) {
                    Token t = head.get(i++);
                    name.append(t.kind() == Kind.QUOTED ? "\"" + t.text().replace("\"", "\"\"") + "\"" : t.text());
                    if (i < head.size() && head.get(i).isSymbol(".")) {
                        name.append('.');
                        i++;
                    } else {
                        break;
                    }
                }
                if (name.isEmpty()) {
                    refusal = "is " + verb.toUpperCase(Locale.ROOT) + " on a table the trial cannot make out";
                    return List.of();
                }
                out.add(new Target(verb, name.toString(), verb.equals("insert") || verb.equals("merge") || defaults));
                if (verb.equals("truncate") && i < head.size() && head.get(i).isSymbol(",")) {
                    i++;
                    continue;
                }
                return out;
            }
        }
    }

    private TrialScreen() {}
}
