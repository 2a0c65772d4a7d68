package dev.prismalauncher.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.containers.PostgreSQLContainer;

/** The Testcontainers path, for a laptop with Docker and no local servers. */
final class Containers {

    /** A started container's server, or null when there is no Docker. */
    static TestDatabase.Server start(TestDatabase.Kind kind) {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            docker = false;
        }
        if (!docker) {
            return null;
        }
        if (kind == TestDatabase.Kind.POSTGRESQL) {
            PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:16-alpine")
                    .withUsername("postgres").withPassword("postgres")
                    .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust");
            pg.start();
            return new TestDatabase.Server(kind, pg.getHost(), pg.getMappedPort(5432), "postgres", "postgres");
        }
        MySQLContainer<?> my = new MySQLContainer<>("mysql:8.4").withUsername("test").withPassword("test");
        my.start();
        return new TestDatabase.Server(kind, my.getHost(), my.getMappedPort(3306), "root", "test");
    }

    private Containers() {}
}
