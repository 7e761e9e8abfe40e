"""workflows/flow/nodes.py overrides viewflow's activations through its private API: these tests
pin the viewflow version and the pieces of that API the nodes rely on (docs/viewflow.md), so an
upgrade fails here, with a reason, before it fails in a dossier.
"""

import inspect
from importlib.metadata import version
from types import SimpleNamespace

import pytest
from viewflow.fsm.base import TransitionBoundMethod
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation
from viewflow.workflow.models import Task
from viewflow.workflow.nodes.end import EndActivation
from viewflow.workflow.nodes.handle import HandleActivation
from viewflow.workflow.nodes.join import JoinActivation
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.token import Token

from workflows.flow import nodes
from workflows.flows import DossierFlow

CREATE_PARAMETERS = ["flow_task", "prev_activation", "token", "data", "seed"]


def test_viewflow_is_the_version_the_nodes_were_written_against():
    assert version("django-viewflow") == "2.4.0", (
        "workflows/flow/nodes.py uses viewflow 2.4.0's private API: re-read docs/viewflow.md and "
        "viewflow's nodes (split, join, handle, start, end, lock) before moving the pin"
    )


@pytest.mark.parametrize(
    "activation", [SplitActivation, JoinActivation, HandleActivation, StartHandleActivation, EndActivation]
)
def test_activation_create_keeps_its_signature(activation):
    assert list(inspect.signature(activation.create).parameters) == CREATE_PARAMETERS


def test_the_stock_split_still_ignores_a_data_source():
    """Note 8: ``Split.Next(node, data_source=...)`` is documented but not accepted; StageSplit
    exists for it. When this fails, viewflow grew the feature and StageSplit may go."""
    with pytest.raises(TypeError):
        flow.Split().Next(object(), data_source=lambda activation: [])
    assert "_activate_next" in vars(flow.Split())
    assert isinstance(inspect.getattr_static(flow.Split, "_branches"), property)


def test_private_pieces_the_nodes_call_exist():
    assert callable(Activation.status.super) and callable(Activation.status.transition)
    assert callable(TransitionBoundMethod.original)  # super(JoinActivation, self).complete.original()
    assert all(
        hasattr(Token, name) for name in ("split_token_source", "is_split_token", "get_base_split_token")
    )
    assert lock.SelectForUpdateLock().nowait is True
    through = Task.previous.through
    assert {f.name for f in through._meta.get_fields()} >= {"from_task", "to_task"}
    assert "flow_task_type" in {f.name for f in Task._meta.get_fields()}


def test_the_diagram_is_drawn_with_our_nodes():
    expected = {
        "receive": nodes.DossierStart,
        "what_next": nodes.StageSplit,
        "process_step": nodes.StepHandle,
        "all_steps_decided": nodes.StageJoin,
        "wait_for_supplement": nodes.StepHandle,
        "result_ready": nodes.DossierEnd,
    }
    assert {node.name: type(node) for node in DossierFlow.instance.nodes()} == expected
    assert isinstance(DossierFlow.lock_impl, nodes.DossierLock)
    gateway = DossierFlow.what_next
    assert [(node.name, data is not None) for node, _, data in gateway._branches] == [
        ("result_ready", False),
        ("wait_for_supplement", False),
        ("process_step", True),
    ]


@pytest.mark.django_db
def test_the_rename_migration_moves_stored_tasks_between_node_names(clock, agency, reception):
    """Tasks written under the old node names follow the renamed nodes (and back)."""
    import importlib

    from django.db import connection

    from tests.factories import make_procedure
    from tests.workflows.conftest import APPLICANT
    from workflows import services

    migration = importlib.import_module("workflows.migrations.0009_rename_flow_nodes")
    dossier, _ = services.dossier_register(
        procedure=make_procedure(agency=agency), applicant=APPLICANT, channel="in_person", by=reception
    )

    def names():  # raw: the ORM would resolve the stored names to nodes
        with connection.cursor() as cursor:
            cursor.execute("SELECT flow_task FROM viewflow_task WHERE process_id = %s", [dossier.process_id])
            return {row[0] for row in cursor.fetchall()}

    new = names()
    assert "workflows/flows.DossierFlow.what_next" in new
    with connection.cursor() as cursor:
        # what the migration uses of a schema editor (SQLite's cannot open inside a test's transaction)
        editor = SimpleNamespace(quote_name=connection.ops.quote_name, execute=cursor.execute)
        migration.backwards(None, editor)
        assert "workflows/flows.DossierFlow.route_stage" in names()
        migration.forwards(None, editor)
    assert names() == new
