package dev.prismalauncher.report;

import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.database.RowChange;
import dev.prismalauncher.plan.Plan;
import java.util.List;

/** --dry-run: the plan as people read it, on stdout. */
public final class PlanReport {

    /**
     * @param deployer who applies migrations, as the line names it
     * @param app for {@code run}: the app that would be exec'd; empty for {@code migrate}
     */
    public static String text(Plan plan, DatabaseUrl url, String deployer, List<String> app) {
        if (plan.nothingToDo()) {
            return "plan: nothing to do; " + plan.found().summary() + "\n";
        }
        StringBuilder b = new StringBuilder("plan (dry run, nothing changed) for ").append(url).append(":\n");
        for (RowChange c : plan.changes()) {
            b.append("  ").append(c.migrationName()).append(": would be ").append(switch (c) {
                case RowChange.MarkRolledBack m -> "marked rolled back (row " + m.id() + ")";
                case RowChange.InsertApplied a -> "recorded as applied (a new row, checksum " + a.checksum() + ")";
            }).append('\n');
        }
        if (!plan.found().databaseExists()) {
            b.append("  the database would be created by prisma migrate deploy\n");
        } else if (!plan.found().tableExists()) {
            b.append("  _prisma_migrations would be created by ").append(deployer).append('\n');
        }
        b.append(plan.deploy().isEmpty() && !plan.alwaysDeploy() && plan.found().tableExists() ? "  nothing to deploy\n"
                : "  " + deployer + " would apply: " + (plan.deploy().isEmpty() ? "nothing" : String.join(", ", plan.deploy())) + "\n");
        if (!app.isEmpty()) {
            b.append("  then exec: ").append(String.join(" ", app)).append(" (not in a dry run)\n");
        }
        return b.toString();
    }

    private PlanReport() {}
}
