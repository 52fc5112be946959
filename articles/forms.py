from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils.text import slugify

from .models import DUPLICATE_ANCHOR_MESSAGE, Reference, Section, web_url_validator


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["heading", "anchor", "body", "order"]
        error_messages = {
            "heading": {"required": "Give the section a heading."},
            "body": {"required": "Write some text for this section."},
        }

    def clean(self):
        cleaned_data = super().clean()
        # Fill the anchor here, not only on save, so two sections with the same
        # heading are caught with a clear message before anything is saved.
        if not cleaned_data.get("anchor") and cleaned_data.get("heading"):
            cleaned_data["anchor"] = slugify(cleaned_data["heading"])[:110] or "section"
            self.instance.anchor = cleaned_data["anchor"]
        return cleaned_data


class SectionFormSet(BaseInlineFormSet):
    def get_unique_error_message(self, unique_check):
        if "anchor" in unique_check:
            return DUPLICATE_ANCHOR_MESSAGE
        return super().get_unique_error_message(unique_check)

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not self._should_delete_form(form)
        ]
        if not kept:
            raise forms.ValidationError("An article needs at least one section.")


class ReferenceForm(forms.ModelForm):
    class Meta:
        model = Reference
        fields = [
            "kind",
            "authors",
            "title",
            "source",
            "identifier",
            "year",
            "updated_year",
            "url",
            "accessed_on",
        ]
        error_messages = {"url": {"invalid": web_url_validator.message}}
