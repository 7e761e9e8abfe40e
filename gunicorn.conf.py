"""gunicorn's settings, read from the working directory (``/app`` in the image) on start.

The command line (Dockerfile, docker-compose.yml) gives the bind address, workers and access log;
this file only makes gunicorn mask lookup keys in what it logs (README "Input limits").
"""

logger_class = "core.logmask.GunicornLogger"
