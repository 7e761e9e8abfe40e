"""Settings of the HTTP benchmark's server: the app's own, plus one trivial JSON view (the baseline)."""

from onestop.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
