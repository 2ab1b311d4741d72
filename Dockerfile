# syntax=docker/dockerfile:1
# One image per service, all from this file:
#   docker build --build-arg MODULE=registry-service -t openiot/registry-service:0.1.0-SNAPSHOT .
# MODULE is the Maven module (gateway-service, registry-service, shadow-service, rules-service, policy-service,
# sink-service). The build stage compiles that module and what it depends on with the Maven wrapper; the runtime
# stage holds only a JRE and the module's executable jar (classifier "exec"), and runs as a non-root user.

ARG JAVA_VERSION=17

FROM eclipse-temurin:${JAVA_VERSION}-jdk AS build
ARG MODULE
ARG VERSION=0.1.0-SNAPSHOT
WORKDIR /src
COPY . .
# The cache mount keeps downloaded dependencies between builds of the six images.
RUN --mount=type=cache,target=/root/.m2 \
    test -n "${MODULE}" || { echo "build with --build-arg MODULE=<module>" >&2; exit 1; }; \
    test -f "${MODULE}/pom.xml" || { echo "no such module: ${MODULE}" >&2; exit 1; }; \
    ./mvnw -B -q -ntp -pl "${MODULE}" -am package -DskipTests \
    && cp "${MODULE}/target/${MODULE}-${VERSION}-exec.jar" /service.jar

FROM eclipse-temurin:${JAVA_VERSION}-jre
ARG MODULE
LABEL org.opencontainers.image.title="openiot ${MODULE}" \
      org.opencontainers.image.description="OpenIoT platform service ${MODULE}"
# A fixed numeric uid, so Kubernetes' runAsNonRoot can check it without a user database.
RUN groupadd --system --gid 10001 iot \
    && useradd --system --uid 10001 --gid iot --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin iot
WORKDIR /app
# Owned by root and not writable by the service: the jar is code, not state.
COPY --from=build /service.jar /app/service.jar
COPY docker/healthcheck.sh /app/healthcheck.sh
ENV IOT_SERVICE=${MODULE} \
    IOT_HTTP_PORT=8080 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
EXPOSE 8080
USER 10001:10001
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=6 CMD ["/app/healthcheck.sh"]
ENTRYPOINT ["java", "-jar", "/app/service.jar"]
