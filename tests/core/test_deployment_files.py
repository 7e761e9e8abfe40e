from pathlib import Path

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
