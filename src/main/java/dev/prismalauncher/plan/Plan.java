package dev.prismalauncher.plan;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.database.Database;
import dev.prismalauncher.database.RowChange;
import dev.prismalauncher.migrations.Inspection;
import dev.prismalauncher.migrations.LocalMigrations;
import dev.prismalauncher.migrations.Resolver;
import java.util.List;

/**
 * What a start would do, built once from what it found: then printed (dry run) or carried out.
 *
 * @param found the folder and the rows, by Prisma's rules
 * @param decisions for the failed migrations (auto's evidence with them)
 * @param changes the rows the resolve writes
 * @param deploy what the deploy would apply, in its order
 * @param alwaysDeploy ALWAYS_DEPLOY: the deploy runs even with nothing to do
 * @param refusal where the start stops before changing anything (exit 4), null if it does not
 */
public record Plan(Inspection found, Decisions decisions, List<RowChange> changes, List<String> deploy, boolean alwaysDeploy,
        LauncherException refusal) {

    public Plan {
        changes = List.copyOf(changes);
        deploy = List.copyOf(deploy);
    }

    public static Plan of(Inspection found, LocalMigrations local, Decisions decisions, int maxAttempts, boolean alwaysDeploy) {
        List<RowChange> changes = List.of();
        LauncherException refusal = null;
        try {
            changes = decisions.changes(found, local, maxAttempts, Database.now());
        } catch (LauncherException e) {
            refusal = e;
        }
        return new Plan(found, decisions, changes, Resolver.wouldDeploy(found, local, changes), alwaysDeploy, refusal);
    }

    /** Nothing failed or pending, _prisma_migrations there, no ALWAYS_DEPLOY: Prisma would not be run. */
    public boolean nothingToDo() {
        return nothingToDo(found, alwaysDeploy);
    }

    /** The same, from a first look before anything is decided. */
    public static boolean nothingToDo(Inspection found, boolean alwaysDeploy) {
        return found.nothingToDeploy() && !alwaysDeploy;
    }

    /** Exit 4 where the plan cannot be carried out (strategy none, auto not conclusive, a guard), before anything is written. */
    public void refuseIfRefused() {
        if (refusal != null) {
            throw refusal;
        }
    }
}
