"""Printed forms: the receipt and the other official forms of a dossier, and the tracking book.

``urls_for(dossier)`` lists the forms that apply to a dossier now, for the staff pages.
"""


def urls_for(dossier) -> list[tuple[str, str, str]]:
    """``[(form_slug, title, url)]`` of the forms that apply to ``dossier`` now."""
    from .registry import urls_for as _urls_for

    return _urls_for(dossier)
