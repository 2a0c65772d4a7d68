package dev.prismalauncher.config;

import java.util.List;

/**
 * {@code tables.external} and {@code enums.external} of the Prisma config: what Prisma's schema
 * engine leaves out of its bookkeeping. Where it judges a database unmanaged (P3005, migration
 * persistence's initialize), it lists the tables of the URL's schema and drops each one its
 * differ's {@code contains_table} finds in {@code tables.external}: the bare name, or
 * {@code namespace.name}. Enums never count there (only tables do), so {@code enums.external} changes
 * nothing the launcher judges; it is kept to be reported.
 */
public record ExternalTables(List<String> tables, List<String> enums) {
    public static final ExternalTables NONE = new ExternalTables(List.of(), List.of());

    public ExternalTables {
        tables = List.copyOf(tables);
        enums = List.copyOf(enums);
    }

    /** As the engine's contains_table: exact, case-sensitive (PostgreSQL's flavour; MySQL's lower-casing servers aside). */
    public boolean isExternal(String namespace, String table) {
        return tables.contains(table) || (namespace != null && tables.contains(namespace + "." + table));
    }
}
