from django import forms

from .models import Kind


class PreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Email me when",
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick what you do not want to hear about by email. You can "
        "still see everything in Your reviews.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
