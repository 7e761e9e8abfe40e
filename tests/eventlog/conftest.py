from tests.workflows.conftest import clock, make_staff  # noqa: F401 - the workflow fixtures
