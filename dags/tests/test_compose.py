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


# ----------------------------------------------------------------------------- the Celery variant

CELERY = REPO / "docker-compose.airflow-celery.yml"
WORKERS = ["airflow-worker-1", "airflow-worker-2"]


@pytest.fixture(scope="module")
def celery() -> dict:
    return yaml.safe_load(CELERY.read_text())["services"]


def layered(base: dict, override: dict) -> dict:
    """What `docker compose -f base -f override` runs, for the keys checked here: services are
    merged key by key, environment and depends_on entry by entry; a worker `extends` a base
    service (its image, environment, volumes), its own keys winning."""
    merged = {}
    for name in base.keys() | override.keys():
        mine = override.get(name, {})
        parent = base.get(mine.get("extends", {}).get("service"), {}) if "extends" in mine else {}
        start = base.get(name, parent)
        service = {**start, **{k: v for k, v in mine.items() if k != "extends"}}
        for key in ("environment", "depends_on"):
            service[key] = {**start.get(key, {}), **mine.get(key, {})}
        merged[name] = service
    return merged


@pytest.fixture(scope="module")
def celery_stack(services, celery) -> dict:
    return layered(services, celery)


def test_celery_variant_layers_over_the_base_file(celery):
    text = CELERY.read_text()
    assert "-f docker-compose.airflow.yml -f docker-compose.airflow-celery.yml" in text
    for name in WORKERS:
        assert celery[name]["extends"] == {
            "file": "docker-compose.airflow.yml",
            "service": "airflow-scheduler",
        }, name


def test_celery_executor_everywhere_with_a_redis_broker_of_its_own(celery_stack):
    broker_url = "redis://airflow-broker:6379/0"  # not the serving layer's `redis`
    for name in [*AIRFLOW, *WORKERS]:
        env = celery_stack[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CELERY__BROKER_URL"] == broker_url, name
        assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql://"), name
        # From the base file: one DB, one JWT secret, the Execution API every task talks to.
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")
        assert env["AIRFLOW__API_AUTH__JWT_SECRET"], name
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].startswith(
            "http://airflow-apiserver:8080/"
        ), name
    broker = celery_stack["airflow-broker"]
    assert broker["image"].startswith("redis:") and broker["healthcheck"]["test"]
    assert celery_stack["airflow-scheduler"]["depends_on"]["airflow-broker"] == {
        "condition": "service_healthy"
    }


def test_two_workers_with_the_jars_the_store_and_the_dags(celery_stack):
    for name in WORKERS:
        worker = celery_stack[name]
        assert worker["command"] == "celery worker", name
        assert worker["hostname"] == name
        assert worker["image"] == "scoreline-airflow:3.3.2", "the image with /opt/scoreline/jars"
        assert "./demo-data:/opt/scoreline/demo-data" in worker["volumes"], "the shared store"
        assert "./dags:/opt/airflow/dags" in worker["volumes"]
        assert "inspect ping" in worker["healthcheck"]["test"][-1]
        for needed, condition in (
            ("postgres", "service_healthy"),
            ("airflow-broker", "service_healthy"),
            ("airflow-apiserver", "service_healthy"),
            ("airflow-init", "service_completed_successfully"),
        ):
            assert worker["depends_on"][needed] == {"condition": condition}, (name, needed)
    assert len({celery_stack[n]["hostname"] for n in WORKERS}) == 2
    for name, service in celery_stack.items():
        image = service.get("image", "")
        assert ":" in image and not image.endswith(":latest"), f"{name}: pin {image}"


def test_celery_settings_are_the_base_ones_split_in_one_partition_per_worker(
    services, celery_stack
):
    from scoreline import config

    base = json.loads(services["airflow-scheduler"]["environment"]["AIRFLOW_VAR_SCORELINE_CONFIG"])
    for name in [*AIRFLOW, *WORKERS]:
        variable = celery_stack[name]["environment"]["AIRFLOW_VAR_SCORELINE_CONFIG"]
        settings = json.loads(variable)
        assert settings == {**base, "partitions": len(WORKERS)}, name
        assert config.parse(settings).jar_dir == "/opt/scoreline/jars"
