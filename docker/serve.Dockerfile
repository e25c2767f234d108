# serve.jar, the real-time scoring service (docs/serve.md), as the `serve` service of docker-compose.airflow.yml runs it.
# Build from the repository root:  docker build -f docker/serve.Dockerfile -t scoreline-serve .
# Run: docker run -p 8080:8080 -e SCORELINE_STORE=s3://bucket/prefix -e SCORELINE_ES_URL=http://es:9200 \
#        -e SCORELINE_SERVE_POOLS=/config/pools.json -v $PWD/pools.json:/config/pools.json:ro scoreline-serve --model churn

# 1. The jar, built by the project's own Maven wrapper (tests run in CI, not here).
FROM eclipse-temurin:21-jdk AS jar
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY jobs jobs
RUN ./mvnw -q -B -pl jobs/serve -am package -DskipTests && ls -l dist/serve.jar

# 2. A JRE, curl for the health check, the jar; runs as an unprivileged user.
FROM eclipse-temurin:21-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin scoreline
COPY --from=jar /src/dist/serve.jar /opt/scoreline/serve.jar
USER 10001
EXPOSE 8080
# ZGC: short pauses (docs/serve.md, "The deadline"); the heap follows the container's memory limit
ENV JAVA_TOOL_OPTIONS="-XX:+UseZGC -XX:MaxRAMPercentage=75" SCORELINE_SERVE_PORT=8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD curl -fs http://localhost:8080/healthz || exit 1
ENTRYPOINT ["java", "-jar", "/opt/scoreline/serve.jar"]
