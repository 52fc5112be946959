from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.utils.functional import cached_property
from django.utils.text import slugify

from . import conflicts, display, revisions
from .models import (
    CITATION_FIELDS,
    DUPLICATE_ANCHOR_MESSAGE,
    Article,
    Reference,
    Section,
    web_url_validator,
)

EDIT_CONFLICT_MESSAGE = (
    "Someone else saved this article while you were editing it ({name} at {when}). "
    "Your changes have not been saved yet, and nothing you typed is lost: it is "
    "still in the form. Under \N{LEFT DOUBLE QUOTATION MARK}Saved by {name} while "
    "you were editing\N{RIGHT DOUBLE QUOTATION MARK}, choose for each field whether "
    "to keep yours or take theirs, then save again."
)
CHOOSE_MESSAGE = (
    "Choose \N{LEFT DOUBLE QUOTATION MARK}Keep mine\N{RIGHT DOUBLE QUOTATION MARK} "
    "or \N{LEFT DOUBLE QUOTATION MARK}Take theirs\N{RIGHT DOUBLE QUOTATION MARK} "
    "for: {fields}. Both of you changed these, so saving must not silently replace "
    "either version. Nothing was saved yet."
)
OUT_OF_DATE_MESSAGE = (
    "This page was out of date or belongs to another article. Nothing was saved: "
    "reload the page and make your changes again."
)


class ArticleForm(forms.ModelForm):
    """The article form, refusing a save made from a version someone has replaced.

    ``base_revision`` travels with the form: the revision the editor started
    from. When anything in the article was saved differently since, the save is
    refused, the editor's input stays in the form, and each field the colleague
    changed is shown with both versions (``articles.conflicts``). The form then
    starts from the colleague's version and remembers the editor's first one in
    ``conflict_base``; the admin applies the editor's choice per field before
    saving again.
    """

    base_revision = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "This page was out of date. Reload it and try again."
        },
    )
    conflict_base = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": OUT_OF_DATE_MESSAGE},
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "topic",
            "owner",
            "is_featured",
            "related_articles",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set when a save is refused because a colleague saved meanwhile.
        self.edit_conflict = None
        if self.instance.pk and not self.is_bound:
            current = revisions.current_revision(self.instance)
            self.initial.setdefault("base_revision", current.pk if current else None)

    @cached_property
    def changed_data(self):
        # The base is bookkeeping, not an edit: keep it out of the change message.
        return [
            name
            for name in super().changed_data
            if name not in {"base_revision", "conflict_base"}
        ]

    def clean(self):
        cleaned_data = super().clean()
        base = cleaned_data.get("base_revision")
        if self.instance.pk and self.instance.latest_revision_id:
            if not base:
                # Every change starts from a version; a form without one was not
                # made by this page, so it cannot be checked and is refused.
                raise forms.ValidationError(
                    "This form did not say which version you started from, so your "
                    "changes could overwrite someone else's. Nothing was saved: "
                    "reload the page and make your changes again.",
                    code="no_base_revision",
                )
            if not conflicts.is_version_of(self.instance, base):
                raise forms.ValidationError(OUT_OF_DATE_MESSAGE, code="wrong_base")
            if cleaned_data.get("conflict_base"):
                self._ask_for_choices()
            self._refuse_if_saved_meanwhile(base)
        return cleaned_data

    def _ask_for_choices(self):
        # The admin saves a conflict once every field has a choice
        # (ArticleAdmin.changeform_view); one still here is missing some.
        try:
            self.edit_conflict = conflicts.find(self.instance, self.data)
        except ValueError:
            raise forms.ValidationError(
                OUT_OF_DATE_MESSAGE, code="wrong_conflict_base"
            ) from None
        fields = ", ".join(row.label for row in self.edit_conflict.undecided)
        raise forms.ValidationError(
            CHOOSE_MESSAGE.format(fields=fields or "each field below"),
            code="choose_per_field",
        )

    def _refuse_if_saved_meanwhile(self, base):
        with transaction.atomic():
            # Hold the article's row until this save ends, so a save made at the
            # same moment waits, then sees this one (as the workflow moves do).
            # Not a key lock: a move recording that a page uses this glossary
            # term goes on meanwhile (it holds the public version this save
            # may be waiting for).
            Article.objects.select_for_update(no_key=True).filter(
                pk=self.instance.pk
            ).exists()
            current = revisions.current_revision(self.instance)
        if current is None or revisions.saved_alike(self.instance, base, current.pk):
            return
        self.edit_conflict = conflicts.EditConflict(
            self.instance, base, current, self.data
        )
        # Shown what the colleague saved, the editor now starts from it; the
        # version they started from stays, to tell what each of them changed.
        self.data = self.data.copy()
        self.data[self.add_prefix("base_revision")] = current.pk
        self.data[self.add_prefix("conflict_base")] = base
        user = current.user
        raise forms.ValidationError(
            EDIT_CONFLICT_MESSAGE.format(
                name=display.person(user, nobody="someone not recorded"),
                when=display.moment(current.date_created),
            ),
            code="edited_meanwhile",
        )


class KnownRowChoiceField(forms.ModelChoiceField):
    """The hidden id of an inline row, answered from the rows its formset has
    already read (``rows``: id to row) rather than by a query per row. An id the
    formset did not read (another article's row, one deleted meanwhile) is
    looked up as Django always does, with the same error when it is not there.
    The row given is the form's own instance: only its id is read from it."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, models.Model):
            try:
                key = self.queryset.model._meta.pk.to_python(value)
            except ValidationError:
                key = None
            row = self.rows().get(key)
            if row is not None:
                return row
        return super().to_python(value)


class RowsReadOnce(BaseInlineFormSet):
    """An inline formset that checks the ids posted for its rows against the rows
    it read when it was built, in no further queries: Django reads each row
    again to check its id, a query per row (30 for a 30-section article)."""

    def _read_rows(self):
        self._existing_object(None)  # reads the rows, once
        return self._object_dict

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self._pk_field.name
        field = form.fields.get(name)
        if type(field) is forms.ModelChoiceField:
            form.fields[name] = KnownRowChoiceField(
                field.queryset,
                initial=field.initial,
                required=False,
                widget=field.widget,
                rows=self._read_rows,
            )


class SectionForm(forms.ModelForm):
    # Set by SectionFormSet: returns the id of the article it edits and
    # {anchor: ids of its sections that have it}, as saved.
    saved_anchors = None

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

    def validate_constraints(self):
        """Check the rules the database holds, as Django does, except that the
        anchor is first looked up among the article's saved anchors, read once
        for all sections: Django's own check (a query per section) runs only for
        a section whose anchor another saved section has, and gives its message."""
        if self.saved_anchors is None or self._anchor_may_be_taken():
            super().validate_constraints()
            return
        try:
            self.instance.validate_constraints(
                exclude=self._get_validation_exclusions() | {"anchor"}
            )
        except ValidationError as error:
            self._update_errors(error)

    def _anchor_may_be_taken(self):
        article_id, anchors = self.saved_anchors()
        section = self.instance
        if section.article_id != article_id:
            return True
        holders = anchors.get(section.anchor, set())
        if section._state.adding or section.pk is None:
            return bool(holders)
        return bool(holders - {section.pk})


class SectionFormSet(RowsReadOnce):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.saved_anchors = self._saved_anchors
        return form

    def _saved_anchors(self):
        """Return the article's id and {anchor: section ids} as saved, read once."""
        if not hasattr(self, "_anchors"):
            anchors = {}
            if self.instance.pk is not None:
                saved = Section._default_manager.filter(article_id=self.instance.pk)
                for pk, anchor in saved.values_list("pk", "anchor"):
                    anchors.setdefault(anchor, set()).add(pk)
            self._anchors = (self.instance.pk, anchors)
        return self._anchors

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
        fields = CITATION_FIELDS
        error_messages = {"url": {"invalid": web_url_validator.message}}
