"""The admin's sections, checked as a whole and reported on after a paste.

Each section body is capped and cleaned up by its field (``articles.richtext``);
here the sections are capped together, and after a save the editor is told what
the clean-up removed from each section, in plain words.
"""

from django.contrib import messages

from . import richtext
from .forms import SectionFormSet


class SectionBodiesFormSet(SectionFormSet):
    # Set by the admin for the request being answered (SectionInline.get_formset).
    request = None

    def clean(self):
        super().clean()
        richtext.check_article_size(
            form.cleaned_data.get("body", "")
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not self._should_delete_form(form)
        )

    def save(self, commit=True):
        saved = super().save(commit)
        if self.request is not None:
            for heading, removed in self.removed_when_pasting():
                messages.info(
                    self.request,
                    f"Removed from section \N{LEFT SINGLE QUOTATION MARK}{heading}"
                    f"\N{RIGHT SINGLE QUOTATION MARK} when pasting: "
                    f"{', '.join(removed)}.",
                )
        return saved

    def removed_when_pasting(self):
        """Return (heading, what was removed) for each section saved with less
        than was typed or pasted into it."""
        found = []
        for form in self.forms:
            if form not in self.deleted_forms and "body" in form.changed_data:
                raw = form.data.get(form.add_prefix("body"), "")
                removed = richtext.removed_when_pasting(raw, form.instance.body)
                if removed:
                    found.append((form.instance.heading, removed))
        return found
