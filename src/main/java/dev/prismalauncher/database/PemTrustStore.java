package dev.prismalauncher.database;

import dev.prismalauncher.LauncherException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * Prisma's {@code sslcert} is a PEM file of CA certificates; Connector/J takes only a key store
 * URL. So: the certificates into a PKCS12 trust store in a temporary file, read while connecting,
 * deleted after. It holds public certificates only, hence the fixed password.
 */
final class PemTrustStore {
    static final String PASSWORD = "prisma-launcher";

    static Path write(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw LauncherException.usage("sslcert=" + pem + " holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            Path file = Files.createTempFile("prisma-launcher-ca", ".p12");
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, PASSWORD.toCharArray());
            }
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw LauncherException.usage("sslcert=" + pem + " cannot be read as PEM certificates: " + e.getMessage());
        }
    }

    static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file of public certificates: harmless if it stays
            }
        }
    }

    private PemTrustStore() {}
}
