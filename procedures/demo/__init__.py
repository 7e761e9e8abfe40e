"""The demo catalog (catalog.json here, built by build_catalog.py), loaded by ``manage.py load_demo``.

Importing is idempotent: a catalog already loaded has the same content hashes, so a second run
changes nothing.
"""

import json
from pathlib import Path

from procedures.services import procedure_import

CATALOG = Path(__file__).resolve().parent / "catalog.json"


def load(stdout) -> list[str]:
    data = json.loads(CATALOG.read_text(encoding="utf-8"))
    result = procedure_import(data=data)
    if result.changed:
        stdout.write(f"Demo catalog: {result.summary()}.")
    return [
        f"catalog    {len(data['procedures'])} procedures, {len(data['agencies'])} agencies "
        "(procedures/demo/catalog.json)   http://127.0.0.1:8000/api/v1/procedures/"
    ]
