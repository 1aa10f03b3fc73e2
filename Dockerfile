# syntax=docker/dockerfile:1
# Polyfence: build with Maven on JDK 17, run on a JRE 17 as a non-root user.
#   docker build -t polyfence .
#   docker run --rm -p 8080:8080 polyfence

FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /build
# Dependencies first, so a source change does not download them again.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline
COPY src ./src
# The tests run in CI (.ci/run); the image only packages what passed there.
RUN mvn -B -q -DskipTests package \
 && cp target/polyfence-*.jar /build/app.jar \
 && java -Djarmode=tools -jar /build/app.jar extract --layers --launcher --destination /build/extracted

FROM eclipse-temurin:17-jre
RUN groupadd --system polyfence \
 && useradd --system --gid polyfence --home-dir /app --shell /usr/sbin/nologin polyfence
WORKDIR /app
# Least-changing layers first.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
USER polyfence:polyfence
ENV SERVER_PORT=8080 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
# No curl in the JRE image: bash's /dev/tcp asks the health endpoint and expects a 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${SERVER_PORT} && printf "GET /actuator/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "' || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
