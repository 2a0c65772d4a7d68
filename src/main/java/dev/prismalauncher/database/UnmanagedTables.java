package dev.prismalauncher.database;

import java.util.List;

/**
 * The tables of a database that has no {@code _prisma_migrations}, as Prisma counts them before it
 * refuses such a database (P3005): how many, and the first few names for the message.
 */
public record UnmanagedTables(int count, List<String> first) {
    static final int SHOWN = 5;

    public UnmanagedTables {
        first = List.copyOf(first);
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** "3 tables: a, b, c" or "40 tables, among them a, b, c, d, e". */
    public String describe() {
        return count + (count == 1 ? " table: " : count <= SHOWN ? " tables: " : " tables, among them ") + String.join(", ", first);
    }
}
