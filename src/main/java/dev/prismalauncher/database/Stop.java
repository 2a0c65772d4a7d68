package dev.prismalauncher.database;

import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * What the launcher lends this room so that a stop signal ends its waits at once, without the room
 * knowing about signals: each session's connection is registered to be closed on stop (which ends
 * its locks with it), and every wait (the connect backoff, the lock polls) sleeps the launcher's
 * sleep, which never returns once stopping has begun.
 */
public interface Stop {
    /** Registers a resource to be closed when a stop signal arrives; if stopping has begun, never returns. */
    void closeOnStop(AutoCloseable resource);

    /** The resource is closed by its owner now: nothing to do for it on stop. */
    void forget(AutoCloseable resource);

    /** Sleeps; once stopping has begun, never returns. */
    void sleep(long millis);

    /** No signals to heed (tests, tools): plain sleeps, nothing registered. */
    Stop NONE = of(resource -> {}, resource -> {}, millis -> {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    });

    static Stop of(Consumer<AutoCloseable> closeOnStop, Consumer<AutoCloseable> forget, LongConsumer sleep) {
        return new Stop() {
            @Override
            public void closeOnStop(AutoCloseable resource) {
                closeOnStop.accept(resource);
            }

            @Override
            public void forget(AutoCloseable resource) {
                forget.accept(resource);
            }

            @Override
            public void sleep(long millis) {
                sleep.accept(millis);
            }
        };
    }
}
