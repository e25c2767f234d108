# Airflow 3 with a Java 21 runtime, the Scoreline jars and DAGs: the image docker-compose.airflow.yml runs.
# Build from the repository root:  docker build -f docker/airflow.Dockerfile -t scoreline-airflow .

# 1. The jars, built by the project's own Maven wrapper (tests run in CI, not here).
FROM eclipse-temurin:21-jdk AS jars
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY jobs jobs
RUN ./mvnw -q -B package -DskipTests && ls -l dist/

# 2. Airflow (the version dags/requirements.lock pins) + a JRE + the jars and DAGs.
FROM apache/airflow:3.3.2-python3.11
USER root
COPY --from=eclipse-temurin:21-jre /opt/java/openjdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:$PATH
COPY --from=jars /src/dist/fetch.jar /src/dist/predict.jar /src/dist/publish.jar /opt/scoreline/jars/
RUN mkdir -p /opt/scoreline/store && chown -R airflow: /opt/scoreline
USER airflow
# The providers at the versions of dags/requirements.lock; apache-airflow itself stays the image's.
RUN pip install --no-cache-dir "apache-airflow==3.3.2" \
      "apache-airflow-providers-standard==1.21.0" "apache-airflow-providers-slack==9.11.1"
COPY --chown=airflow:root dags/ /opt/airflow/dags/
