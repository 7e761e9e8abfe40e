from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_file_defines_the_production_stack():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], f"{name} has no health check"
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert {"pgdata", "redisdata"} <= set(compose["volumes"])


def test_env_example_documents_every_setting_in_the_readme():
    names = [
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line
    ]
    readme = (ROOT / "README.md").read_text()
    assert names, ".env.example lists no settings"
    missing = [name for name in names if f"`{name}`" not in readme]
    assert not missing, f"settings missing from the README's table: {missing}"


def test_every_setting_read_from_the_environment_is_in_env_example():
    import re

    read = set(
        re.findall(
            r'env\.(?:str|int|bool|float|list|db)\("([A-Z_]+)"', (ROOT / "onestop/settings.py").read_text()
        )
    )
    example = set(re.findall(r"^# ([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert read, "no settings found"
    assert read <= example, f"missing from .env.example: {sorted(read - example)}"


def test_gunicorn_runs_threaded_workers_so_a_slow_report_does_not_hold_a_worker():
    import runpy

    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["worker_class"] == "gthread" and config["threads"] >= 2


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_web_and_worker_can_be_scaled():
    """`docker compose up --scale web=3 --scale worker=4`: a scaled service may not have a fixed
    container name or host port (the second container could not take it)."""
    services = _compose()["services"]
    for name in ("web", "worker"):
        assert "container_name" not in services[name], name
        assert "ports" not in services[name], f"{name} publishes a host port: it cannot scale"
    published = [name for name, service in services.items() if service.get("ports")]
    assert published == ["proxy"], published


def test_the_proxy_is_the_official_nginx_image_with_the_repositorys_config_in_front_of_web():
    proxy = _compose()["services"]["proxy"]
    assert proxy["image"].split(":")[0] == "nginx"
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    mounted = {volume.split(":")[0]: volume.split(":")[1] for volume in proxy["volumes"]}
    assert mounted == {"./deploy/nginx.conf": "/etc/nginx/conf.d/default.conf"}
    conf = (ROOT / "deploy/nginx.conf").read_text()
    assert "resolver 127.0.0.11" in conf, "without Docker's resolver nginx keeps the first web address"
    assert "proxy_pass $web" in conf and "set $web http://web:8000" in conf
    assert "X-Forwarded-Proto $http_x_forwarded_proto" in conf  # the TLS proxy's, passed through
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in conf
    port = proxy["healthcheck"]["test"][-1]
    assert port.endswith("/proxy-health") and "location = /proxy-health" in conf


def test_beat_is_not_scaled_and_every_app_service_has_the_replica_setting():
    services = _compose()["services"]
    assert "deploy" not in services["beat"] and "scale" not in services["beat"]
    for name in ("migrate", "web", "worker", "beat"):
        assert "DATABASE_REPLICA_URL" in services[name]["environment"], name
        assert services[name]["environment"]["DATABASE_REPLICA_URL"] == "${DATABASE_REPLICA_URL:-}"


def test_the_replica_service_is_behind_a_profile_and_streams_from_postgres():
    compose = _compose()
    replica = compose["services"]["db-replica"]
    assert replica["profiles"] == ["replica"], "the default stack must stay as it is"
    assert replica["image"] == compose["services"]["postgres"]["image"]
    assert replica["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "healthcheck" in replica and "pgreplica" in compose["volumes"]
    entrypoint = (ROOT / "deploy/postgres-replica.sh").read_text()
    assert "pg_basebackup" in entrypoint and "--write-recovery-conf" in entrypoint
    assert "hot_standby_feedback=on" in entrypoint
    init = (ROOT / "deploy/postgres-primary-init.sh").read_text()
    assert "WITH REPLICATION" in init and "host replication replicator" in init
    primary_volumes = compose["services"]["postgres"]["volumes"]
    assert (
        "./deploy/postgres-primary-init.sh:/docker-entrypoint-initdb.d/replication.sh:ro" in primary_volumes
    )


def test_the_web_health_check_sends_a_host_that_allowed_hosts_accepts():
    web = _compose()["services"]["web"]
    assert web["healthcheck"]["test"] == ["CMD", "python", "-m", "core.healthcheck"]


@pytest.mark.parametrize(
    ("allowed", "host"),
    [
        ("motcua.example.gov.vn", "motcua.example.gov.vn"),
        (" .example.gov.vn , localhost", "example.gov.vn"),
        ("*", "localhost"),
        ("", "localhost"),
        ("*.example.vn,app.example.vn", "app.example.vn"),
    ],
)
def test_the_health_host_is_the_first_concrete_allowed_host(allowed, host):
    from core.healthcheck import health_host

    assert health_host(allowed) == host


def test_the_old_health_check_host_is_refused_and_the_chosen_one_is_served(settings, db):
    """The defect: ``Host: 127.0.0.1:8000`` against a production ALLOWED_HOSTS is a 400."""
    from django.test import Client

    from core.healthcheck import health_host

    client = Client(raise_request_exception=False)

    settings.ALLOWED_HOSTS = ["motcua.example.gov.vn"]
    assert client.get("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 400
    chosen = health_host("motcua.example.gov.vn")
    assert client.get("/healthz", HTTP_HOST=chosen).status_code == 200


def test_the_health_check_exits_0_on_200_and_1_otherwise(monkeypatch):
    import io
    import urllib.error
    import urllib.request

    from core import healthcheck

    seen = {}

    class Answer(io.BytesIO):
        status = 200

    def fake_urlopen(request, timeout):
        seen["host"] = request.get_header("Host")
        if seen["host"] != "motcua.example.gov.vn":
            raise urllib.error.HTTPError(request.full_url, 400, "Bad Request", {}, None)
        return Answer(b"{}")

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    assert healthcheck.check(allowed_hosts="motcua.example.gov.vn") == 0
    assert seen["host"] == "motcua.example.gov.vn"
    monkeypatch.setattr(healthcheck, "health_host", lambda hosts: "127.0.0.1:8000")  # the old behaviour
    assert healthcheck.check(allowed_hosts="motcua.example.gov.vn") == 1
