package dev.prismalauncher.plan;

import dev.prismalauncher.database.Database;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Where auto's evidence is gathered: always under the launcher lock, so that its trial never runs
 * beside another launcher's deploy. `status` and a dry run take the lock for it; a start already
 * holds it, and passes {@link #HELD}, which does nothing.
 */
public interface LockScope {
    <T> T run(Supplier<T> work);

    /** The lock is already held on this session: the work just runs. */
    LockScope HELD = new LockScope() {
        @Override
        public <T> T run(Supplier<T> work) {
            return work.get();
        }
    };

    /** The launcher lock is taken for the work, waiting up to {@code timeout} (exit 7 past it). */
    static LockScope take(Database db, Duration timeout) {
        return new LockScope() {
            @Override
            public <T> T run(Supplier<T> work) {
                return db.withLauncherLock(timeout, work::get);
            }
        };
    }
}
