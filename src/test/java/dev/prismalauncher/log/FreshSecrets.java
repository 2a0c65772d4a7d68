package dev.prismalauncher.log;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code @ExtendWith(FreshSecrets.class)}: each test starts with no secret registered, so what it
 * asserts about masking depends on what it registered itself, never on an earlier test's.
 */
public final class FreshSecrets implements BeforeEachCallback {
    @Override
    public void beforeEach(ExtensionContext context) {
        Secrets.forgetAll();
    }
}
