"""The two forms a citizen fills in: the lookup (code and key) and the rating."""

from django import forms
from django.utils.translation import gettext_lazy as _

SCORES = [(n, str(n)) for n in range(1, 6)]


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), max_length=40, strip=True)
    key = forms.CharField(label=_("Lookup key"), max_length=64, strip=True)


class RatingForm(forms.Form):
    key = forms.CharField(max_length=64, strip=True, widget=forms.HiddenInput)
    score = forms.TypedChoiceField(
        label=_("Your rating"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
