package dev.prismalauncher.prisma;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * What a frozen Prisma had done: which schema engines run in its process group, and whether any
 * process of it had already ended. The Prisma CLI never connects to the database itself in `migrate
 * deploy`: every query goes through a schema-engine child, started in this order (7.10.1 and 6.19.3):
 * {@code cli can-connect-to-database} (read-only), {@code cli create-database} when the database is
 * missing, then the engine that applies the migrations (no {@code cli} command; JSON-RPC on stdin).
 *
 * <p>An engine is known by the arguments the CLI always gives it, {@code --datasource} or
 * {@code --datamodels}, whatever its file is called (PRISMA_SCHEMA_ENGINE_BINARY may name any file).
 * A process that ended is known without having been seen: a zombie of the group, or a member whose
 * waited-for children made page faults ({@code cminflt} in /proc/PID/stat; a process spawned by the
 * launcher starts at 0, and exec keeps it, so the CLI's own count is 0 until it reaps a child).
 * Everything is read from /proc; the engine's arguments (they hold the URL) are never kept.
 */
final class EngineProbe {
    private static final Path PROC = Path.of("/proc");
    /** Enough of a command line to see the engine's flags. */
    private static final int CMDLINE_LIMIT = 64 * 1024;
    /** How long SIGSTOP may take to stop every member (one that is in the kernel stops on its way out). */
    private static final long STOP_WAIT_NANOS = 250_000_000L;

    private EngineProbe() {}

    /**
     * A schema engine process and what it was started for.
     *
     * @param command its {@code cli} command (e.g. can-connect-to-database), or null for the engine
     *     that serves JSON-RPC: the one that applies migrations
     */
    record Engine(long pid, String command) {
        boolean applies() {
            return command == null;
        }
    }

    /**
     * @param engines the live schema engines
     * @param ended whether some process of the group had already ended (a zombie, or children reaped)
     * @param allStopped whether every member was seen stopped; if not, the rest is a lower bound
     * @param leaderAlive whether the process the launcher started was still there; if not, Prisma had
     *     already run to its end, and nothing else here says what it did
     */
    record Snapshot(List<Engine> engines, boolean ended, boolean allStopped, boolean leaderAlive) {
        /** Whether this proves what Prisma had done: it was caught, whole, stopped, with nothing of it ended. */
        boolean conclusive() {
            return leaderAlive && allStopped && !ended;
        }

        /**
         * Whether Prisma must be let finish: its engine that applies migrations runs, and stopping it
         * mid-migration would leave that database worse off than finishing.
         */
        boolean letFinish() {
            return engines.stream().anyMatch(Engine::applies);
        }

        /** What Prisma had done when it was frozen, in words for the operator; true of every case it names. */
        String account(long micros, String prismaDatabase) {
            String when = micros + " µs after the line was read";
            if (letFinish()) {
                return "Prisma's engine that applies migrations was already running when Prisma was frozen (" + when + "): it is let"
                        + " finish, because stopping it mid-migration leaves a database worse off (a failed _prisma_migrations row that"
                        + " blocks the next deploy; on MySQL half-applied DDL). Prisma migrates the database it named, " + prismaDatabase
                        + ", not the one the launcher inspected; its output above lists what it applied";
            }
            if (!leaderAlive) {
                return "Prisma had already exited when it was to be stopped (" + when + "): it ran to its end and may have applied"
                        + " migrations to the database it named, " + prismaDatabase + "; its output above says what it did. Check that"
                        + " database with `prisma migrate status`";
            }
            if (conclusive() && engines.isEmpty()) {
                return "Prisma was stopped at that line, before any schema engine of its ran (" + when + "): it connected to no"
                        + " database and applied nothing, to either";
            }
            if (conclusive() && "create-database".equals(engines.getFirst().command())) {
                return "Prisma was stopped while its schema engine was creating the database it named (" + when + "): that database"
                        + " may now exist, empty; no migration was applied to either";
            }
            if (conclusive()) {
                return "Prisma was stopped while its schema engine was checking that it can connect to the database it named (`"
                        + engines.getFirst().command() + "`, read-only; " + when + "): no migration was applied to either";
            }
            return "Prisma was stopped (" + when + "), but a process of its had already run and ended (most likely its read-only"
                    + " connection check, or the creation of its database): it applied no migration unless that was its migration"
                    + " engine, which ends only after applying them all. Check the database it named, " + prismaDatabase
                    + ", with `prisma migrate status`";
        }
    }

    /** The group after SIGSTOP: waits (briefly) until every member is stopped, then looks. */
    static Snapshot afterStop(long pgid) {
        long deadline = System.nanoTime() + STOP_WAIT_NANOS;
        while (true) {
            List<Member> members = members(pgid);
            boolean allStopped = members.stream().allMatch(Member::stopped);
            if (allStopped || System.nanoTime() - deadline > 0) {
                List<Engine> engines = new ArrayList<>();
                boolean ended = false;
                boolean leaderAlive = false;
                for (Member m : members) {
                    leaderAlive |= m.pid == pgid && m.state != 'Z' && m.state != 'X';
                    ended |= m.state == 'Z' || m.reapedChildren;
                    Engine e = engine(m.pid);
                    if (e != null) {
                        engines.add(e);
                    }
                }
                return new Snapshot(engines, ended, allStopped, leaderAlive);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private record Member(long pid, char state, boolean reapedChildren) {
        boolean stopped() {
            return state == 'T' || state == 't' || state == 'Z' || state == 'X';
        }
    }

    private static List<Member> members(long pgid) {
        List<Member> found = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path proc : procs) {
                Member m = member(proc, pgid);
                if (m != null) {
                    found.add(m);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing known
        }
        return found;
    }

    /** Fields 3 (state), 5 (pgrp) and 11 (cminflt) of /proc/PID/stat, read after the parenthesised name. */
    private static Member member(Path proc, long pgid) {
        try {
            String stat = Files.readString(proc.resolve("stat"), StandardCharsets.ISO_8859_1);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (Long.parseLong(fields[2]) != pgid) {
                return null;
            }
            return new Member(Long.parseLong(proc.getFileName().toString()), fields[0].charAt(0), Long.parseLong(fields[8]) > 0);
        } catch (IOException | RuntimeException e) {
            return null; // gone meanwhile
        }
    }

    /** The engine this process is, or null: known by --datasource/--datamodels, its command by the word after `cli`. */
    private static Engine engine(long pid) {
        byte[] cmdline;
        try (InputStream in = Files.newInputStream(PROC.resolve(Long.toString(pid)).resolve("cmdline"))) {
            cmdline = in.readNBytes(CMDLINE_LIMIT);
        } catch (IOException e) {
            return null;
        }
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= cmdline.length; i++) {
            if (i == cmdline.length || cmdline[i] == 0) {
                args.add(new String(cmdline, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        return engine(pid, args);
    }

    static Engine engine(long pid, List<String> args) {
        boolean engine = false;
        String command = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--datasource") || arg.equals("--datamodels")) {
                engine = true;
                i++; // its value (the URL, the schema's path): not looked at
            } else if (arg.equals("cli") && command == null) {
                // Prisma 7: `--datasource JSON cli COMMAND`; Prisma 6: `cli --datasource URL COMMAND`
                for (int j = i + 1; j < args.size(); j++) {
                    if (args.get(j).equals("--datasource")) {
                        j++;
                    } else if (!args.get(j).startsWith("-")) {
                        command = args.get(j);
                        break;
                    }
                }
            }
        }
        return engine ? new Engine(pid, command) : null;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
