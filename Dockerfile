# The stepbox worker, for docker-compose.yml and for worker hosts (README: Deployment).
# Build: docker build -t stepbox/worker .   (needs Docker Hub and Maven Central; no BuildKit)
#
# The worker drives the host's dockerd: run it with the Docker socket and the host's Docker data
# root mounted at the same path, read-write (snapshots read and restores write sandboxes' overlay2
# layers under it), as root, with CAP_SYS_ADMIN (overlay's trusted.* xattrs) and the host's pid
# namespace (the reaper ends stray runsc processes), and in the host's network namespace (egress
# proxies listen on the egress network's bridge); docker-compose.yml does all of that.

# --- build: the shaded starter jar, with the Maven wrapper -------------------------------------
FROM eclipse-temurin:17.0.15_6-jdk-jammy AS build
WORKDIR /src
# The wrapper and the poms first: this layer (Maven and its plugins) is reused while only sources
# change.
COPY mvnw ./
COPY .mvn/ .mvn/
RUN ./mvnw -q -B -ntp --version
COPY pom.xml ./
COPY workflows/ workflows/
COPY store/ store/
COPY activities/ activities/
COPY client/ client/
COPY starter/ starter/
# Tests need dockerd with runsc; they run in CI (./scripts/test), not in an image build.
RUN ./mvnw -q -B -ntp -DskipTests -pl starter -am package \
 && cp starter/target/stepbox.jar /stepbox.jar

# --- run: a JRE with GNU tar and GNU find, Squid and openssl ----------------------------------
FROM eclipse-temurin:17.0.15_6-jre-jammy
# Snapshots shell out to GNU tar (sorted, pax, xattrs) and GNU find; Ubuntu ships both, and the
# build fails here if that ever changes. Egress runs a Squid per sandbox (squid-openssl: the build
# that peeks at TLS and adds secrets) with a CA that openssl makes once per worker.
RUN tar --version | head -1 | grep -q 'GNU tar' \
 && find --version | head -1 | grep -q 'GNU findutils' \
 && apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends squid-openssl openssl \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /stepbox.jar /opt/stepbox/stepbox.jar
# Root, on purpose: the worker reads and writes root-owned overlay2 layers of the host.
USER root
ENV STEPBOX_DATA_DIR=/var/lib/stepbox \
    STEPBOX_METRICS_HOST=0.0.0.0 \
    STEPBOX_METRICS_PORT=9464
EXPOSE 9464
ENTRYPOINT ["java", "-jar", "/opt/stepbox/stepbox.jar"]
CMD ["worker"]
