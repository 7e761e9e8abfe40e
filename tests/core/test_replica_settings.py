"""DATABASE_REPLICA_URL: unset, there is no replica alias and no router; set, both (onestop/databases.py).

How the reads are routed with a real second database: tests/core/test_replica_router.py.
"""

from core.dbrouter import REPLICA, ReplicaRouter, read_alias, reads_from_replica, replica_configured
from onestop.databases import REPLICA_ROUTER, databases, routers
from workflows.models import Dossier


def test_without_a_replica_url_there_is_no_replica_alias_and_no_router():
    config = databases(default_url="postgres://u@db:5432/onestop", replica_url="")
    assert set(config) == {"default"}
    assert routers(config) == []


def test_a_replica_url_adds_the_alias_and_the_router_with_the_primarys_options():
    config = databases(
        default_url="postgres://u@db:5432/onestop",
        replica_url="postgres://u@standby:5432/onestop",
        conn_max_age=7,
    )
    assert set(config) == {"default", "replica"}
    replica = config["replica"]
    assert (replica["HOST"], replica["NAME"], replica["CONN_MAX_AGE"]) == ("standby", "onestop", 7)
    assert replica["OPTIONS"]["options"] == config["default"]["OPTIONS"]["options"] == "-c jit=off"
    assert replica["TEST"] == {"MIRROR": "default"}  # the test suite never creates a database on it
    assert routers(config) == [REPLICA_ROUTER]


def test_sqlite_urls_get_the_same_file_options_on_both_aliases(tmp_path):
    config = databases(default_url=f"sqlite:///{tmp_path}/a.db", replica_url=f"sqlite:///{tmp_path}/b.db")
    assert config["replica"]["OPTIONS"] == config["default"]["OPTIONS"]
    assert config["replica"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_the_router_sends_only_scoped_reads_to_a_configured_replica(settings):
    router = ReplicaRouter()
    assert not replica_configured()  # the test settings have none (DATABASE_REPLICA_URL unset)
    with reads_from_replica():
        assert read_alias() == "default"  # the scope changes nothing without a replica
    assert router.db_for_write(Dossier) == "default"
    assert router.allow_migrate("default", "workflows") is True
    assert router.allow_migrate(REPLICA, "workflows") is False
