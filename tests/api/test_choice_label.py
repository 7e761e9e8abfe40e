"""``api.rows.choice_label`` gives what ``get_FOO_display()`` gives, in every language."""

import pytest
from django.utils import translation

from api.rows import choice_label
from workflows.models import Dossier, DossierEvent, DossierStatus, EventAction


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_labels_are_those_of_get_display(language):
    with translation.override(language):
        for value in [*DossierStatus.values, "not-a-status"]:
            assert choice_label(DossierStatus, value) == Dossier(status=value).get_status_display()
        for value in [*EventAction.values, "not-an-action"]:
            assert choice_label(EventAction, value) == DossierEvent(action=value).get_action_display()
