package dev.prismalauncher.testing;

/**
 * What the tests write differently for each test server, by name: {@code Sql.of(kind).now()} rather
 * than a ternary on the kind at every use. Written here independently of the product's dialects
 * (the lock keys and names are Prisma's and ours, spelled out): a test that borrowed the product's
 * SQL could not notice it being wrong.
 */
public enum Sql {
    POSTGRESQL {
        @Override
        public String scheme() {
            return "postgresql";
        }

        @Override
        public String quote(String identifier) {
            return "\"" + identifier.replace("\"", "\"\"") + "\"";
        }

        @Override
        public String now() {
            return "now()";
        }

        @Override
        public String stringType() {
            return "TEXT";
        }

        @Override
        public String serialId() {
            return "\"id\" SERIAL NOT NULL";
        }

        @Override
        public String baseTables() {
            return "SELECT 1 FROM pg_tables WHERE schemaname = 'public'";
        }

        @Override
        public String holdPrismaLock() {
            return "SELECT pg_advisory_lock(72707369)";
        }

        @Override
        public String tryPrismaLock() {
            return "SELECT pg_try_advisory_lock(72707369)";
        }

        @Override
        public String holdLauncherLock() {
            return "SELECT pg_advisory_lock(72707370)";
        }

        @Override
        public String tryLauncherLock() {
            return "SELECT pg_try_advisory_lock(72707370)";
        }

        @Override
        public String sessionId() {
            return "SELECT pg_backend_pid()";
        }

        @Override
        public String currentDatabase() {
            return "SELECT current_database()";
        }

        @Override
        public String kill(long sessionId) {
            return "SELECT pg_terminate_backend(" + sessionId + ")";
        }

        @Override
        public String sleep(int seconds) {
            return "SELECT pg_sleep(" + seconds + ")";
        }

        @Override
        public String dropDatabase(String name) {
            return "DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)";
        }

        @Override
        public String databaseNamed(String name) {
            return "SELECT 1 FROM pg_database WHERE datname = '" + name + "'";
        }

        @Override
        public String adminDatabase() {
            return "postgres";
        }

        /** Local trust authentication takes any password: a role that does not exist is refused. */
        @Override
        public String refusedLogin(String url) {
            return url.replaceFirst("//[^:]+:", "//no_such_role:");
        }
    },
    MYSQL {
        @Override
        public String scheme() {
            return "mysql";
        }

        @Override
        public String quote(String identifier) {
            return "`" + identifier.replace("`", "``") + "`";
        }

        @Override
        public String now() {
            return "UTC_TIMESTAMP(3)";
        }

        @Override
        public String stringType() {
            return "VARCHAR(191)";
        }

        @Override
        public String serialId() {
            return "`id` INTEGER NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)";
        }

        @Override
        public String baseTables() {
            return "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE()";
        }

        @Override
        public String holdPrismaLock() {
            return tryPrismaLock();
        }

        @Override
        public String tryPrismaLock() {
            return "SELECT GET_LOCK('prisma_migrate', 0)";
        }

        @Override
        public String holdLauncherLock() {
            return tryLauncherLock();
        }

        @Override
        public String tryLauncherLock() {
            return "SELECT GET_LOCK(LEFT(CONCAT('prisma_launcher:', DATABASE()), 64), 0)";
        }

        @Override
        public String sessionId() {
            return "SELECT CONNECTION_ID()";
        }

        @Override
        public String currentDatabase() {
            return "SELECT DATABASE()";
        }

        @Override
        public String kill(long sessionId) {
            return "KILL " + sessionId;
        }

        @Override
        public String sleep(int seconds) {
            return "SELECT SLEEP(" + seconds + ")";
        }

        @Override
        public String dropDatabase(String name) {
            return "DROP DATABASE IF EXISTS " + quote(name);
        }

        @Override
        public String databaseNamed(String name) {
            return "SELECT 1 FROM information_schema.schemata WHERE schema_name = '" + name + "'";
        }

        @Override
        public String adminDatabase() {
            return "";
        }

        @Override
        public String refusedLogin(String url) {
            return url.replace(TestDatabase.PASSWORD_ENCODED, "wrong-" + TestDatabase.PASSWORD_ENCODED);
        }
    };

    public static Sql of(TestDatabase.Kind kind) {
        return valueOf(kind.name());
    }

    /** The Prisma URL's scheme. */
    public abstract String scheme();

    /** An identifier quoted, its quote characters doubled. */
    public abstract String quote(String identifier);

    /** UTC now at the precision Prisma's timestamp columns keep. */
    public abstract String now();

    /** The column type Prisma gives a String field. */
    public abstract String stringType();

    /** An auto-incremented "id" column, as Prisma creates one. */
    public abstract String serialId();

    /** One row per base table of the database's default schema. */
    public abstract String baseTables();

    /** Takes Prisma's migration lock for the session, waiting if need be (MySQL: not waiting; returns 1 if taken). */
    public abstract String holdPrismaLock();

    /** Takes Prisma's migration lock if it is free: one row, true (1) if taken. */
    public abstract String tryPrismaLock();

    /** Takes the launcher's lock for the session, as another replica would. */
    public abstract String holdLauncherLock();

    /** Takes the launcher's lock if it is free: one row, true (1) if taken. */
    public abstract String tryLauncherLock();

    /** One row: the id by which the server names this session (and by which the launcher names a lock's holder). */
    public abstract String sessionId();

    /** One row: the database this session is connected to. */
    public abstract String currentDatabase();

    /** Ends another session, as an administrator (or a failover) would. */
    public abstract String kill(long sessionId);

    public abstract String sleep(int seconds);

    /** Drops a database even while sessions are connected to it. */
    public abstract String dropDatabase(String name);

    /** One row if a database of that name exists (a name of the tests' own, without quotes), none otherwise. */
    public abstract String databaseNamed(String name);

    /** The database an admin session connects to when it needs none in particular. */
    public abstract String adminDatabase();

    /** The URL with credentials the server refuses. */
    public abstract String refusedLogin(String url);
}
