package dev.prismalauncher.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prisma's PEM sslcert becomes the PKCS12 trust store Connector/J reads, and goes away after. */
class PemTrustStoreTest {
    /** A self-signed CA made with openssl (src/test/fixtures/tls). */
    private static final Path CA = Path.of("src/test/fixtures/tls/ca.pem");

    @TempDir
    Path dir;

    @Test
    void aPemCaBecomesATrustStoreEntry() throws Exception {
        Path store = PemTrustStore.write(CA);
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PemTrustStore.PASSWORD.toCharArray());
            assertEquals(1, Collections.list(ks.aliases()).size());
            X509Certificate c = (X509Certificate) ks.getCertificate(ks.aliases().nextElement());
            assertTrue(c.getSubjectX500Principal().getName().contains("prisma-launcher test CA"), c.getSubjectX500Principal().getName());
            assertTrue(ks.isCertificateEntry(ks.aliases().nextElement()));
        } finally {
            PemTrustStore.delete(store);
        }
        assertFalse(Files.exists(store));
    }

    @Test
    void notACertificateIsAUsageError() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        LauncherException e = assertThrows(LauncherException.class, () -> PemTrustStore.write(junk));
        assertEquals(ExitCode.USAGE, e.exitCode());
        LauncherException missing = assertThrows(LauncherException.class, () -> PemTrustStore.write(dir.resolve("missing.pem")));
        assertEquals(ExitCode.USAGE, missing.exitCode());
    }
}
