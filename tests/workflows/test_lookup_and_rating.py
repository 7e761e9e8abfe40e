"""The citizen's lookup by code and key, and the satisfaction rating once after the result."""

import pytest

from core.exceptions import Conflict, InvalidInput, NotFound
from tests.factories import make_procedure
from tests.workflows.conftest import APPLICANT
from workflows import selectors, services
from workflows.models import DossierTask


def test_lookup_and_rate(clock, agency, reception, specialist):
    dossier, key = services.dossier_register(
        procedure=make_procedure(agency=agency), applicant=APPLICANT, channel="online", by=reception
    )
    assert selectors.dossier_public_lookup(code=dossier.code, key=key.lower()) == dossier
    for code, wrong in ((dossier.code, "WRONGKEY22"), ("000.00.00.H57-260302-9999", key), (dossier.code, "")):
        with pytest.raises(NotFound) as error:
            selectors.dossier_public_lookup(code=code, key=wrong)
        assert error.value.message == "Không tìm thấy hồ sơ với mã và mã tra cứu đã nhập."

    with pytest.raises(Conflict):
        services.dossier_rate(code=dossier.code, key=key, score=5)
    services.task_complete(task=DossierTask.objects.get(dossier=dossier), by=specialist, decision="approve")
    services.dossier_return_result(dossier=dossier, by=reception)
    with pytest.raises(InvalidInput):
        services.dossier_rate(code=dossier.code, key=key, score=6)
    with pytest.raises(NotFound):
        services.dossier_rate(code=dossier.code, key="WRONGKEY22", score=5)
    rating = services.dossier_rate(code=dossier.code, key=key, score=4, comment="Nhanh")
    assert (rating.score, rating.comment) == (4, "Nhanh")
    with pytest.raises(Conflict):
        services.dossier_rate(code=dossier.code, key=key, score=5)
    assert dossier.events.filter(action="rated").count() == 1
