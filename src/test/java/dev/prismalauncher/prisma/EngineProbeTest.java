package dev.prismalauncher.prisma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schema engine told apart by its arguments, as the CLIs start it (7.10.1 and 6.19.3, seen with
 * strace), and the account given for each state a frozen Prisma can be in. DatasourceStopIT plays
 * these states with real processes and signals.
 */
class EngineProbeTest {

    @Test
    void theEngineIsKnownByItsArgumentsWhateverItsFileIsCalled() {
        // Prisma 7: the native binary, and the offline stand-in run by node
        assertEquals("can-connect-to-database", EngineProbe.engine(1, List.of("/app/node_modules/@prisma/engines/schema-engine-debian-openssl-3.0.x",
                "--datasource", "{\"url\":\"postgresql://u:p@h/db\"}", "cli", "can-connect-to-database")).command());
        assertEquals("create-database", EngineProbe.engine(1, List.of("node", "/root/.cache/prisma-offline/schema-engine",
                "--datasource", "{\"url\":\"postgresql://u:p@h/db\"}", "cli", "create-database")).command());
        EngineProbe.Engine rpc = EngineProbe.engine(1, List.of("/opt/custom-engine", "--datamodels", "/app/prisma/schema.prisma",
                "--datasource", "{\"url\":\"x\"}"));
        assertNull(rpc.command());
        assertTrue(rpc.applies());
        // Prisma 6: `cli --datasource URL COMMAND`, and --datamodels alone
        assertEquals("can-connect-to-database", EngineProbe.engine(1, List.of("schema-engine", "cli", "--datasource",
                "postgresql://u:p@h/db", "can-connect-to-database")).command());
        assertTrue(EngineProbe.engine(1, List.of("schema-engine", "--datamodels", "/app/prisma/schema.prisma")).applies());
        // not engines: the CLI itself, npx, the MySQL stand-in's client
        assertNull(EngineProbe.engine(1, List.of("node", "node_modules/.bin/prisma", "migrate", "deploy")));
        assertNull(EngineProbe.engine(1, List.of("npm", "exec", "--no-install", "prisma", "migrate", "deploy")));
        assertNull(EngineProbe.engine(1, List.of("mariadb", "--no-defaults", "--protocol=TCP", "--host=127.0.0.1")));
        // a URL whose text is "cli" or "--datamodels" is a value, not a flag
        assertTrue(EngineProbe.engine(1, List.of("schema-engine", "--datasource", "cli", "--datamodels", "x")).applies());
    }

    @Test
    void eachStateHasItsOwnAccountAndOnlyARunningMigrationIsLetFinish() {
        var none = new EngineProbe.Snapshot(List.of(), false, true, true);
        var connecting = new EngineProbe.Snapshot(List.of(new EngineProbe.Engine(7, "can-connect-to-database")), false, true, true);
        var creating = new EngineProbe.Snapshot(List.of(new EngineProbe.Engine(7, "create-database")), false, true, true);
        var applying = new EngineProbe.Snapshot(List.of(new EngineProbe.Engine(7, null)), true, true, true);
        var ended = new EngineProbe.Snapshot(List.of(), true, true, true);
        var notAllStopped = new EngineProbe.Snapshot(List.of(), false, false, true);
        var exited = new EngineProbe.Snapshot(List.of(), false, true, false);
        assertTrue(none.account(5, "X").contains("before any schema engine of its ran"));
        assertTrue(connecting.account(5, "X").contains("checking that it can connect"));
        assertTrue(creating.account(5, "X").contains("creating the database it named"));
        assertTrue(applying.account(5, "X").contains("it is let finish"));
        assertTrue(ended.account(5, "X").contains("had already run and ended"));
        assertTrue(notAllStopped.account(5, "X").contains("had already run and ended"), "not proven: the cautious account");
        assertTrue(exited.account(5, "X").contains("had already exited"));
        // a connection check with something already ended proves nothing: the cautious account
        assertTrue(new EngineProbe.Snapshot(connecting.engines(), true, true, true).account(5, "X").contains("had already run and ended"));
        for (var s : List.of(none, connecting, creating, ended, notAllStopped, exited)) {
            assertFalse(s.letFinish(), s.toString());
        }
        assertTrue(applying.letFinish());
        assertTrue(ended.account(5, "PostgreSQL database \"other\"").contains("PostgreSQL database \"other\""), "names Prisma's database");
    }
}
