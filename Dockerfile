# syntax=docker/dockerfile:1
# prisma-launcher image: a small layout at /opt/prisma-launcher, meant to be copied into an app image:
#
#   COPY --from=prisma-launcher /opt/prisma-launcher /opt/prisma-launcher
#   ENTRYPOINT ["/opt/prisma-launcher/entrypoint"]
#   CMD ["run", "--", "node", "dist/server.js"]
#
# The runtime is glibc-based (Debian/Ubuntu app images, distroless Debian); not for Alpine/musl.
# CI builds the same layout with the same script (scripts/build-runtime.sh) outside Docker.

FROM eclipse-temurin:25-jdk AS build
# PostgreSQL only for the start-up cache's training run, which reads a real database as the
# launcher does at every start; binutils to strip the runtime's native libraries. Neither reaches
# the final image. tini: its static build is copied into the layout as lib/tini (INIT=1).
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql binutils tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -ntp -q dependency:go-offline
COPY src/ src/
COPY scripts/ scripts/
COPY entrypoint ./
RUN scripts/build-jar
# The cache records the jar's path: build the layout where it will live, /opt/prisma-launcher.
RUN pg_ctlcluster "$(ls /etc/postgresql)" main start \
 && su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'training'\"" \
 && SKIP_JAR_BUILD=1 TRAINING_DATABASE_URL='postgresql://postgres:training@127.0.0.1:5432/postgres' \
    scripts/build-runtime.sh /opt/prisma-launcher \
 && pg_ctlcluster "$(ls /etc/postgresql)" main stop

FROM debian:bookworm-slim
COPY --from=build /opt/prisma-launcher /opt/prisma-launcher
ENV PATH="/opt/prisma-launcher/bin:${PATH}"
# nonroot, as in distroless images
USER 65532:65532
ENTRYPOINT ["/opt/prisma-launcher/entrypoint"]
CMD ["--help"]
