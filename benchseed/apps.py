from django.apps import AppConfig


class BenchseedConfig(AppConfig):
    """``manage.py seed_bench``: a province's history for the benchmarks (no models)."""

    name = "benchseed"
    verbose_name = "Benchmark province"
