# syntax=docker/dockerfile:1
# Polyfence: built with Maven on JDK 17, run on a JRE 17 as a non-root user. docs/operations.md
# has every setting; in short:
#   docker build -t polyfence .
#   docker run --rm -p 8080:8080 -v polyfence-data:/data polyfence
#   docker stop -t 330 <container>   # let a running apply finish (graceful shutdown, 5 min)
# What this file must keep is checked by DockerfileTest, and its layer layout, entrypoint and health
# check are run without Docker by ContainerLayoutIT (mvn verify).

FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY src ./src
# The tests run in CI (.ci/run); the image only packages what passed there. Test sources, moto and
# the other test tools are not in the build context (.dockerignore), so they are skipped here. The
# cache mount keeps the Maven repository between builds without putting it in a layer.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Dmaven.test.skip=true -Dpolyfence.moto.skipInstall package \
 && cp target/polyfence-*.jar /build/app.jar \
 && java -Djarmode=tools -jar /build/app.jar extract --layers --launcher --destination /build/extracted

FROM eclipse-temurin:17-jre
# A fixed numeric user, so that volume ownership is predictable and Kubernetes' runAsNonRoot can
# verify it. The application files stay root's: the service cannot change its own code.
RUN groupadd --system --gid 10001 polyfence \
 && useradd --system --uid 10001 --gid polyfence --home-dir /app --no-create-home --shell /usr/sbin/nologin polyfence \
 && mkdir /data \
 && chown polyfence:polyfence /data \
 && chmod 0700 /data
WORKDIR /app
# Least-changing layers first, so a code change rebuilds only the last one.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
# The H2 database and the bootstrap token live in /data; a new named volume takes this directory's
# owner (polyfence), so the service can write to it.
ENV POLYFENCE_DATA_DIR=/data \
    SERVER_PORT=8080 \
    JAVA_TOOL_OPTIONS="-XX:InitialRAMPercentage=50.0 -XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError"
VOLUME /data
EXPOSE 8080
USER 10001:10001
# No curl in the JRE image: bash's /dev/tcp asks the readiness probe (database and shutdown state
# included) and wants the status line to say 200. A refused connection, another status or no answer
# within the timeout is unhealthy. It follows SERVER_PORT; set that, not --server.port, to move the port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>"/dev/tcp/127.0.0.1/${SERVER_PORT}" && printf "GET /actuator/health/readiness HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" >&3 && head -n 1 <&3 | grep -q "^HTTP/1.1 200 "' || exit 1
# SIGTERM starts Spring's graceful shutdown: no new requests, a running apply may finish within
# spring.lifecycle.timeout-per-shutdown-phase (5 minutes). Give `docker stop -t`, Compose's
# stop_grace_period or Kubernetes' terminationGracePeriodSeconds at least that, plus a margin.
STOPSIGNAL SIGTERM
# Exec form: java is PID 1 and receives the signal itself.
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
