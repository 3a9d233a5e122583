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
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]
