"""docker-compose.airflow.yml and its image, checked without a Docker engine: the YAML is read
and held to what a working local Airflow 3 + Scoreline stack needs."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from conftest import DAGS, REPO

COMPOSE = REPO / "docker-compose.airflow.yml"
DOCKERFILE = REPO / "docker" / "airflow.Dockerfile"
AIRFLOW = ["airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (DAGS / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.strip()
    return pins


def test_the_stack_has_airflow_postgres_elasticsearch_s3_and_redis(services):
    assert set(AIRFLOW + ["postgres", "elasticsearch", "minio", "redis"]) <= set(services)


def test_images_are_pinned(services):
    for name, service in services.items():
        image = service.get("image")
        assert image, f"{name} has no image"
        tag = image.rsplit(":", 1)[-1] if ":" in image.split("/")[-1] else ""
        assert tag and tag != "latest", f"{name}: pin {image}"


def test_airflow_services_share_one_image_built_from_the_dockerfile(services):
    for name in AIRFLOW:
        assert services[name]["build"] == {
            "context": ".",
            "dockerfile": "docker/airflow.Dockerfile",
        }, name
        assert services[name]["image"] == "scoreline-airflow:3.3.2", name


def test_local_executor_on_postgres_with_the_execution_api(services):
    for name in AIRFLOW:
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith(
            "postgresql+psycopg2://airflow:airflow@postgres:5432/"
        )
        assert (
            env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"]
            == "http://airflow-apiserver:8080/execution/"
        )
        assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false"
        # One JWT secret for every component, or tasks cannot talk to the API server.
        assert env["AIRFLOW__API_AUTH__JWT_SECRET"]
    commands = {
        services[n]["command"]
        if isinstance(services[n]["command"], str)
        else services[n]["command"][-1]
        for n in AIRFLOW
    }
    assert {"api-server", "scheduler", "dag-processor"} <= commands


def test_scoreline_settings_are_valid_and_match_the_image(services):
    from scoreline import config

    env = services["airflow-scheduler"]["environment"]
    settings = config.parse(json.loads(env["AIRFLOW_VAR_SCORELINE_CONFIG"]))
    assert settings.jar_dir == "/opt/scoreline/jars"
    assert "/opt/scoreline/jars/" in DOCKERFILE.read_text()
    assert settings.store.startswith("file:///opt/scoreline/demo-data/")
    assert "./demo-data:/opt/scoreline/demo-data" in services["airflow-scheduler"]["volumes"]
    assert "./dags:/opt/airflow/dags" in services["airflow-scheduler"]["volumes"]
    # fetch reads "source" only without the Elasticsearch Connection, which is opt-in here.
    assert settings.source.startswith("/opt/scoreline/demo-data/")
    assert env["AIRFLOW_CONN_SCORELINE_ES"] == "${SCORELINE_ES_CONN:-}"
    assert '"host": "elasticsearch", "port": 9200' in COMPOSE.read_text()
    assert env["SCORELINE_S3_ENDPOINT"] == "http://minio:9000"


def test_healthchecks_and_start_order(services):
    for name in [
        "postgres",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "elasticsearch",
        "minio",
        "redis",
    ]:
        assert services[name]["healthcheck"]["test"], name
    for name in AIRFLOW:
        assert services[name]["depends_on"]["postgres"] == {"condition": "service_healthy"}, name
    for name in ["airflow-apiserver", "airflow-scheduler", "airflow-dag-processor"]:
        assert services[name]["depends_on"]["airflow-init"] == {
            "condition": "service_completed_successfully"
        }, name
    assert services["minio-init"]["depends_on"]["minio"] == {"condition": "service_healthy"}


def test_named_volumes_are_declared(compose, services):
    declared = set(compose["volumes"])
    used = {
        v.split(":")[0]
        for s in services.values()
        for v in s.get("volumes", [])
        if not v.startswith(".")
    }
    assert used <= declared, used - declared


def test_dockerfile_matches_the_lock():
    text = DOCKERFILE.read_text()
    pins = lock_pins()
    assert f"FROM apache/airflow:{pins['apache-airflow']}-python3.11" in text
    for provider in ("apache-airflow-providers-standard", "apache-airflow-providers-slack"):
        assert f'"{provider}=={pins[provider]}"' in text
    assert re.search(r"eclipse-temurin:21-jre", text), "a Java 21 runtime for the jars"
    for jar in ("fetch", "predict", "publish"):
        assert f"dist/{jar}.jar" in text
