# syntax=docker/dockerfile:1
# Build stage: compile and package without the embedded-PostgreSQL binaries (profile `image`); the image
# always runs against a real database URL.
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q -Pimage dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -q -Pimage -DskipTests -Dspring-javaformat.validate.skip=true package \
 && java -Djarmode=tools -jar target/tributary-*.jar extract --layers --launcher --destination target/extracted

# Runtime stage: JRE 25, non-root, one layer per rate of change (dependencies change least).
FROM eclipse-temurin:25-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home tributary
WORKDIR /app
COPY --from=build /src/target/extracted/dependencies/ ./
COPY --from=build /src/target/extracted/spring-boot-loader/ ./
COPY --from=build /src/target/extracted/snapshot-dependencies/ ./
COPY --from=build /src/target/extracted/application/ ./
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
# Sized from bench/ (bench/RESULTS.md): a 1 000 000-row sync runs within 10% of its unconstrained speed in a
# 256 MiB heap, at a peak RSS of 497 MiB, when the memory outside the heap is kept small: a smaller code cache,
# thread stacks and direct buffers, and glibc's malloc held to two arenas. The heap takes 60% of the container's
# memory limit (a 640 MiB limit gives about 380 MiB), and the JVM picks its collector from the limit (serial
# below 1792 MiB or 2 CPUs). An out-of-memory error ends the process, so the orchestrator restarts it.
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-XX:ReservedCodeCacheSize=64m", "-Xss512k", \
  "-XX:MaxDirectMemorySize=64m", "-XX:+ExitOnOutOfMemoryError", "org.springframework.boot.loader.launch.JarLauncher"]
