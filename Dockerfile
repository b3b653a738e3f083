# One image definition for the three services; the build arguments name the service:
#   docker build --build-arg SERVICE=moderation-service --build-arg PORT=8081 --build-arg MANAGEMENT_PORT=9081 \
#       -t talkback/moderation-service .
# Build context: the repository root (docker compose sets it), since a service is built with its sibling modules.
ARG SERVICE=comment-service

FROM eclipse-temurin:17-jdk AS build
ARG SERVICE
WORKDIR /src
COPY . .
# (the build's own class-data-sharing archive is skipped: the image makes its own, for its paths and its JVM)
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -pl "$SERVICE" -am package -DskipTests \
        -Dtalkback.cds.skip=true \
    && cp "$SERVICE"/target/"$SERVICE"-*-exec.jar /app.jar

# Unpack Spring Boot's layers, so that a code change rebuilds only the thin application layer: app.jar with lib/.
FROM eclipse-temurin:17-jre AS layers
WORKDIR /layers
COPY --from=build /app.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --destination extracted

FROM eclipse-temurin:17-jre
ARG PORT=8080
ARG MANAGEMENT_PORT=9080
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home talkback
WORKDIR /app
COPY --from=layers /layers/extracted/dependencies/ ./
COPY --from=layers /layers/extracted/spring-boot-loader/ ./
COPY --from=layers /layers/extracted/snapshot-dependencies/ ./
COPY --from=layers /layers/extracted/application/ ./
# A class-data-sharing archive of the classes the service loads up to the end of its start (decision 0027): it starts
# in about half the time, which matters when instances are added on lag. Made here, for the image's own paths and JVM,
# by a start that ends after the context's refresh, with nothing to reach.
RUN java -XX:ArchiveClassesAtExit=app.jsa -Xlog:cds=error -Dspring.context.exit=onRefresh -jar /app/app.jar \
        --server.port=0 --management.server.port=0 --spring.kafka.bootstrap-servers=localhost:1 \
        --spring.kafka.admin.auto-create=false \
        "--spring.mongodb.uri=mongodb://localhost:1/cds-training?serverSelectionTimeoutMS=200" > /dev/null
USER 10001
# the management port (the actuator) is deliberately not EXPOSEd: `docker run -P` must not publish it
EXPOSE ${PORT}
# Size the heap from the container's memory limit, and let the orchestrator restart a JVM out of memory.
# The management port as Spring reads it (management.server.port), so that the health check follows an override.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError" \
    MANAGEMENT_SERVER_PORT=${MANAGEMENT_PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=5 \
    CMD curl -fsS "http://localhost:${MANAGEMENT_SERVER_PORT}/actuator/health/readiness" || exit 1
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/app.jsa", "-jar", "/app/app.jar"]
