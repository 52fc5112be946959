from django import forms
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from reversion.admin import VersionAdmin
from reversion.models import Version

from . import conflicts, display, links, pagecache, revisions, richtext
from .compare import compare
from .forms import ArticleForm, ReferenceForm, RowsReadOnce, SectionForm
from .models import (
    Action,
    Article,
    ArticleReference,
    Credit,
    EditingPresence,
    Reference,
    Reviewer,
    Section,
    State,
    Topic,
)
from .models.content import review_notice
from .pasting import SectionBodiesFormSet

REVIEW_DATE_FIELDS = ["reviewed_on", "next_review_on"]
PUBLISH = "articles.publish_article"
ONCE_PUBLISHED = (
    "“{title}” has been on the public site, so it cannot be deleted: readers may "
    "have saved its address, and its record must stay. To take it down, "
    "unpublish it in the review workspace."
)


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review due"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        days = review_notice().days
        return [
            ("overdue", "Overdue"),
            ("soon", f"Due within {days} days"),
            ("later", f"Not due for {days} days or more"),
            ("none", "No review date"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "overdue":
                return queryset.overdue()
            case "soon":
                return queryset.due_soon()
            case "later":
                return queryset.exclude(pk__in=queryset.due_for_review()).filter(
                    next_review_on__isnull=False
                )
            case "none":
                return queryset.filter(next_review_on__isnull=True)
        return queryset


class OnPublicSiteFilter(admin.SimpleListFilter):
    title = "on public site"
    parameter_name = "live"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        match self.value():
            case "yes":
                return queryset.published()
            case "no":
                return queryset.exclude(pk__in=queryset.published())
        return queryset


class StateFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        if self.value() in State.values:
            return queryset.in_state(self.value())
        return queryset


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    formset = SectionBodiesFormSet
    extra = 0
    min_num = 1
    fields = ["heading", "body", ("anchor", "order")]
    classes = ["sections"]
    verbose_name_plural = (
        "sections (shown in this order: use Move up and Move down, or change the "
        "order numbers)"
    )

    class Media:
        js = ["articles/section_order.js"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Tells the editor, after saving, what a paste lost (articles.pasting).
        formset.request = request
        return formset


class LabelledRowsFormSet(RowsReadOnce):
    """Rows of a table whose labels are its column headings.

    Screen readers and voice control need a name on each field too, so every
    field in a row is named after its column and its row ("Order, row 2").
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = "new row" if index is None else f"row {index + 1}"
        for name, field in form.fields.items():
            label = field.label or name.capitalize()
            field.widget.attrs.setdefault("aria-label", f"{label}, {row}")


class ArticleReferenceInline(admin.TabularInline):
    model = ArticleReference
    formset = LabelledRowsFormSet
    extra = 0
    autocomplete_fields = ["reference"]
    fields = ["reference", "order"]
    verbose_name_plural = (
        "references (search by title, organisation or code such as CG81)"
    )


class CreditInline(admin.TabularInline):
    model = Credit
    formset = LabelledRowsFormSet
    extra = 0
    autocomplete_fields = ["reviewer"]
    fields = ["reviewer", "order"]
    verbose_name_plural = (
        "written by (who reviewed and approved it comes from their recorded decisions)"
    )


# Admin searches look for every word; a very long search (a pasted page) would
# build a query the database refuses, so only the first words are used.
SEARCH_WORDS = 20


class BoundedSearch:
    def get_search_results(self, request, queryset, search_term):
        words = search_term.split()
        if len(words) > SEARCH_WORDS:
            messages.info(
                request,
                f"Only the first {SEARCH_WORDS} words of your search were used.",
            )
            search_term = " ".join(words[:SEARCH_WORDS])
        return super().get_search_results(request, queryset, search_term)


@admin.register(Topic)
class TopicAdmin(BoundedSearch, VersionAdmin):
    list_display = ["name", "parent", "order"]
    list_editable = ["order"]
    list_filter = ["parent"]
    search_fields = ["name", "intro"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


def _change_link(obj):
    url = reverse(
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
    )
    return format_html('<a href="{}">{}</a>', url, obj)


class UniqueReferenceForm(ReferenceForm):
    """Refuse a reference the library already holds: the same code or web address
    as another one, ignoring case and spaces at either end."""

    def clean(self):
        cleaned_data = super().clean()
        candidate = Reference(
            pk=self.instance.pk,
            identifier=cleaned_data.get("identifier") or "",
            url=cleaned_data.get("url") or "",
        )
        same = list(candidate.duplicates()[:3])
        if same:
            raise forms.ValidationError(
                format_html(
                    "This reference is already in the library, with the same code "
                    "or web address: {}. Use that one in your articles, or correct "
                    "it there. Nothing was saved.",
                    format_html_join("; ", "{}", ((_change_link(r),) for r in same)),
                ),
                code="duplicate_reference",
            )
        return cleaned_data


@admin.register(Reference)
class ReferenceAdmin(BoundedSearch, VersionAdmin):
    form = UniqueReferenceForm
    list_display = [
        "title",
        "authors",
        "identifier",
        "kind",
        "updated_year",
        "accessed_on",
    ]
    list_filter = ["kind"]
    search_fields = ["title", "authors", "source", "identifier"]
    fieldsets = [
        (None, {"fields": ["kind", "authors", "title", "source", "identifier"]}),
        ("Dates", {"fields": [("year", "updated_year")]}),
        ("Online", {"fields": ["url", "accessed_on"]}),
    ]


def _int_or_none(value):
    return int(value) if str(value).isdigit() else None


# The admin page of each kind of article row.
ADMIN_MODEL = {Article.Kind.ARTICLE: "article", Article.Kind.TERM: "glossaryterm"}


@admin.register(Article)
class ArticleAdmin(BoundedSearch, VersionAdmin):
    kind = Article.Kind.ARTICLE
    form = ArticleForm
    list_display = [
        "title",
        "status",
        "topic",
        "owner",
        "is_on_public_site",
        "reviewed_on",
        "next_review_on",
        "is_featured",
    ]
    list_filter = [
        StateFilter,
        ReviewDueFilter,
        OnPublicSiteFilter,
        "topic",
        "owner",
        "is_featured",
    ]
    list_select_related = ["topic", "owner", "published"]
    search_fields = ["title", "summary", "slug", "sections__heading"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["topic", "related_articles", "owner"]
    date_hierarchy = "next_review_on"
    inlines = [SectionInline, ArticleReferenceInline, CreditInline]
    history_latest_first = True
    readonly_fields = ["workflow_panel", *REVIEW_DATE_FIELDS]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "summary", "topic", "owner", "is_featured"]},
        ),
        (
            "Review dates",
            {
                "fields": [tuple(REVIEW_DATE_FIELDS)],
                "description": "Set when a publisher publishes the article after a "
                "full review, or when reviewers confirm it is still accurate.",
            },
        ),
        ("Related information", {"fields": ["related_articles"]}),
    ]
    # reversion names its own history template outright, so name ours.
    object_history_template = "reversion/articles/article/object_history.html"
    restore_template = "admin/articles/article/restore_confirmation.html"
    recover_template = "admin/articles/article/recover_confirmation.html"

    class Media:
        # Warns before leaving with unsaved changes; shows who else has it open.
        js = ["articles/editing.js"]
        css = {"all": ["articles/editing.css"]}

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        return queryset, True if search_term else may_have_duplicates

    # The form.

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "owner":
            field.error_messages["invalid_choice"] = (
                "That person cannot own articles: only staff who sign in to the "
                "admin can. Choose an editor or a publisher."
            )
        return field

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        top = ["workflow_panel"]
        if self.has_change_permission(request, obj):
            # Hidden: the version the form starts from, and after a refused save
            # the version the editor started from before it.
            top += ["base_revision", "conflict_base"]
        return [(None, {"fields": top}), *fieldsets]

    def get_queryset(self, request):
        queryset = Article.objects.filter(kind=self.kind).with_state()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def _url(self, view, *args):
        """Return the address of one of this admin's views."""
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}",
            args=[quote(arg) for arg in args],
        )

    def _elsewhere(self, object_id, view):
        """Return a redirect to the same view on the admin page of the row's
        kind when ``object_id`` is of another kind (links name articles' pages
        for terms too), else None."""
        pk = _int_or_none(unquote(object_id)) if object_id else None
        kind = Article.objects.filter(pk=pk).values_list("kind", flat=True).first()
        if kind is None or kind == self.kind:
            return None
        model_name = ADMIN_MODEL[kind]
        return redirect(f"{self.admin_site.name}:articles_{model_name}_{view}", pk)

    def save_model(self, request, obj, form, change):
        """Save the content the form edits, and nothing else: publication, review
        and workflow fields are written only by workflow moves."""
        if change:
            # A field public pages read is written only when the editor changed
            # it: writing it unchanged would retire every kept public page.
            unchanged = pagecache.PUBLIC_ARTICLE_FIELDS - set(form.changed_data)
            obj.save(
                update_fields=[
                    *form.fields.keys()
                    - {"base_revision", "conflict_base", "related_articles"}
                    - unchanged,
                    "updated_at",
                ]
            )
        else:
            obj.save()
        self.warn_of_same_title(request, obj)

    def warn_of_same_title(self, request, obj):
        """Point the editor to any other article with the same title: readers
        could not tell the two apart. A warning only; the save stands."""
        same = list(obj.same_title()[:3])
        if same:
            messages.warning(
                request,
                format_html(
                    "Another article already has the title “{}”: {}. If they cover "
                    "the same thing, update that one instead; if not, give this one "
                    "a title readers can tell apart.",
                    obj.title.strip(),
                    format_html_join(", ", "{}", ((_change_link(a),) for a in same)),
                ),
            )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if (elsewhere := self._elsewhere(object_id, "change")) is not None:
            return elsewhere
        if request.method == "POST" and object_id:
            request.POST = self.with_conflict_choices(request, object_id)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST":
                raise
            # Someone saved the same web address at the same moment. It is
            # committed now, so the form's own checks explain it this time.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def with_conflict_choices(self, request, object_id):
        """Return the posted form with the editor's choice per field applied, once
        they have chosen for every field a colleague changed; else as posted, for
        the form to ask again."""
        article = self.get_object(request, unquote(object_id))
        if article is None or not self.has_change_permission(request, article):
            return request.POST
        try:
            conflict = conflicts.find(article, request.POST)
        except ValueError:
            return request.POST  # the form says it is out of date
        if conflict is None or conflict.undecided:
            return request.POST
        return conflict.resolved()

    @admin.display(description="Workflow")
    def workflow_panel(self, obj):
        """Return where the article stands and links to where it moves on."""
        state = obj.state
        notes = [
            "On the public site" if obj.is_live else "Not on the public site",
        ]
        if obj.is_live and obj.has_unpublished_changes:
            notes.append("Has changes not yet published")
        return render_to_string(
            "admin/articles/article/_workflow.html",
            {
                "state": state,
                "notes": notes,
                "links": self.workflow_links(obj),
                "help": self.workflow_help,
                "decisions": self.round_decisions(obj),
            },
        )

    workflow_help = ""

    def round_decisions(self, obj):
        """Return each reviewer's latest decision since the article was last sent
        for review, newest first, each marked ``on_current`` when it is about the
        content as it is now."""
        last_sent = (
            obj.transitions.filter(action=Action.SUBMIT)
            .order_by("-created_at", "-pk")
            .first()
        )
        if last_sent is None:
            return []
        decisions = last_sent.decisions.all().latest_per_reviewer()
        for decision in decisions:
            decision.on_current = decision.fingerprint == obj.content_fingerprint
        return decisions[::-1]

    def workflow_links(self, obj):
        """Return (address, label) pairs for the places the article is seen."""
        links = [(reverse("articles:preview", args=[obj.pk]), "Preview the draft")]
        if obj.is_live:
            links.append((obj.get_absolute_url(), "View the live page"))
        return links

    @admin.display(boolean=True, description="On public site", ordering="published")
    def is_on_public_site(self, obj):
        return obj.is_live

    @admin.display(description="Status", ordering="current_state")
    def status(self, obj):
        return State(obj.current_state).label

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        conflict = getattr(context["adminform"].form, "edit_conflict", None)
        if conflict and obj is not None:
            context["edit_conflict"] = conflict
            context["changed_meanwhile"] = compare(
                obj, conflict.base_id, conflict.theirs_revision.pk
            )
        if obj is not None and change and self.has_change_permission(request, obj):
            if request.method == "GET":
                EditingPresence.objects.check_in(article=obj, user=request.user)
            context["others_editing"] = EditingPresence.objects.others(
                article=obj, user=request.user
            )
            context["presence_url"] = self._url("presence", obj.pk)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Who else has the article open.

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        presence = path(
            "<path:object_id>/presence/",
            self.admin_site.admin_view(self.presence_view),
            name=f"{info}_presence",
        )
        link_picker = path(
            "link-picker/",
            self.admin_site.admin_view(self.link_picker_view),
            name=f"{info}_link_picker",
        )
        clean_paste = path(
            "clean-paste/",
            self.admin_site.admin_view(self.clean_paste_view),
            name=f"{info}_clean_paste",
        )
        return [link_picker, clean_paste, presence, *super().get_urls()]

    def clean_paste_view(self, request):
        """Return pasted HTML as a section keeps it, and what was removed: the
        editor sends what is pasted from Word or Google Docs here first."""
        if request.method != "POST":
            return JsonResponse({"error": "Post the pasted text."}, status=405)
        if not self.has_change_permission(request):
            return JsonResponse(
                {"error": "You cannot change articles, so you cannot paste here."},
                status=403,
            )
        try:
            return JsonResponse(richtext.clean_paste(request.POST.get("html", "")))
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)

    def link_picker_view(self, request):
        """Return the articles whose title holds ``q``, for the editor's "Our
        articles" link button."""
        if not self.has_change_permission(request):
            return JsonResponse(
                {"error": "You cannot change articles, so you cannot add links."},
                status=403,
            )
        return JsonResponse({"results": links.choices(request.GET.get("q", ""))})

    def presence_view(self, request, object_id):
        """Check the person in as having the article open and return who else has:
        the edit form asks every 20 seconds. Posting ``left`` checks them out."""
        if request.method != "POST":
            return JsonResponse({"error": "Post to check in."}, status=405)
        article = Article.objects.filter(pk=_int_or_none(unquote(object_id))).first()
        if article is None:
            return JsonResponse({"error": "No article with this id."}, status=404)
        if not self.has_change_permission(request, article):
            return JsonResponse(
                {"error": "You cannot change this article."}, status=403
            )
        if request.POST.get("left"):
            EditingPresence.objects.leave(article=article, user=request.user)
            return JsonResponse({"others": [], "notice": ""})
        EditingPresence.objects.check_in(article=article, user=request.user)
        others = list(
            EditingPresence.objects.others(article=article, user=request.user)
        )
        return JsonResponse(
            {
                "others": [
                    {"name": display.person(p.user), "since": p.since} for p in others
                ],
                "notice": " ".join(p.notice() for p in others),
            }
        )

    # Deleting a draft and recovering it.

    def has_delete_permission(self, request, obj=None):
        """Only drafts readers never saw can be deleted (by anyone but an
        administrator): they stay in the history and can be recovered."""
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or request.user.is_superuser or not obj.was_ever_published

    def delete_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if (
            article is not None
            and not request.user.is_superuser
            and article.was_ever_published
        ):
            messages.error(request, ONCE_PUBLISHED.format(title=article.title))
            return redirect(self._url("change", article.pk))
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Deleting many at once would skip the check above.
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)
        return actions

    def recover_view(self, request, version_id, extra_context=None):
        """Ask to confirm recovering a deleted draft; recover it on POST through
        ``revisions.recover`` (the stock revert would bring back every row of the
        revision as stored)."""
        if not (
            self.has_add_permission(request) and self.has_change_permission(request)
        ):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_model(Article).select_related("revision__user"),
            pk=version_id,
        )
        recover_list = self._url("recoverlist")
        if request.method == "POST":
            try:
                article = revisions.recover(version, by=request.user)
            except revisions.RestoreError as error:
                messages.error(request, str(error))
                return redirect(recover_list)
            self.log_addition(request, article, "Recovered after it was deleted.")
            messages.success(
                request,
                f"“{article.title}” is back, as a draft with its last saved version. "
                "Send it for review when it is ready.",
            )
            return redirect(self._url("change", article.pk))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Recover “{version.object_repr}”?",
            "subtitle": None,
            "opts": self.opts,
            "version": version,
            "recover_list": recover_list,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.recover_template, context)

    # History and restoring.

    def history_view(self, request, object_id, extra_context=None):
        """Show the saved versions, a page at a time, with the workflow record
        beside them, in a fixed number of queries however long the history.

        Replaces reversion's view, which reads every version of the article.
        """
        if (elsewhere := self._elsewhere(object_id, "history")) is not None:
            return elsewhere
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        page = revisions.history_page(article, request.GET.get(PAGE_VAR))
        newest = list(revisions.revisions_of(article).values_list("pk", flat=True)[:2])
        current_id = newest[0] if newest else None
        # By default compare what readers see with the draft, or else the draft
        # with the save before it.
        live_id = article.live.revision_id if article.is_live else None
        if live_id and live_id != current_id:
            compare_from_id = live_id
        else:
            compare_from_id = newest[-1] if newest else None
        restore_ids = dict(
            Version.objects.get_for_object(article)
            .filter(revision_id__in=[revision.pk for revision in page])
            .values_list("revision_id", "pk")
        )
        action_list = [
            {
                "revision": revision,
                "label": revisions.label(revision),
                "url": self._url("revision", article.pk, restore_ids[revision.pk])
                if revision.pk in restore_ids
                else "",
            }
            for revision in page
        ]
        choices = [
            (revision.pk, revisions.label(revision))
            for revision in revisions.to_choose_from(
                article, page, also=[current_id, live_id, compare_from_id]
            )
        ]
        transitions = list(
            article.transitions.select_related("user", "revision").order_by(
                "-created_at", "-pk"
            )
        )
        named = {
            revision.pk: revision
            for revision in revisions.revisions_of(article).filter(
                pk__in={t.revision_id for t in transitions if t.revision_id}
            )
        }
        for transition in transitions:
            revision = named.get(transition.revision_id)
            transition.version_label = revisions.label(revision) if revision else ""
        context = {
            **self.admin_site.each_context(request),
            "title": f"Change history: {article}",
            "subtitle": None,
            "module_name": capfirst(self.opts.verbose_name_plural),
            "object": article,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            "action_list": action_list,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "page_var": PAGE_VAR,
            "choices": choices,
            "current_revision_id": current_id,
            "live_revision_id": live_id,
            "compare_from_id": compare_from_id,
            "transitions": transitions,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Ask to confirm restoring a saved version; restore it on POST."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No article with this id.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(article).select_related("revision"),
            pk=version_id,
        )
        revision = version.revision
        when = display.moment(revision.date_created)
        history_url = self._url("history", article.pk)
        if request.method == "POST":
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            try:
                revisions.restore(article, revision, by=request.user)
            except revisions.RestoreError as error:
                messages.error(request, str(error))
                return redirect(history_url)
            self.log_change(request, article, f"Restored the version saved on {when}.")
            messages.success(
                request,
                f"The version saved on {when} is now the current draft. The public "
                "page has not changed: send the article for review and publish it "
                "to put this version live.",
            )
            return redirect(self._url("change", article.pk))
        current = revisions.current_revision(article)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Restore the version saved on {when}?",
            "subtitle": None,
            "opts": self.opts,
            "object": article,
            "revision": revision,
            "is_current": current is not None and current.pk == revision.pk,
            "is_live": article.is_live and article.live.revision_id == revision.pk,
            "comparison": compare(article, current.pk, revision.pk),
            "history_url": history_url,
            "has_change_permission": self.has_change_permission(request, article),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.restore_template, context)


class ReviewerForm(forms.ModelForm):
    """The reviewer form. A reviewer's kind decides which approvals count and their
    account decides who can approve, so only publishers may change them."""

    ROLE_FIELDS = ["kind", "user"]

    class Meta:
        model = Reviewer
        fields = ["name", "credentials", "kind", "user", "is_sample"]

    def __init__(self, *args, may_change_role=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_change_role = may_change_role
        locked = [] if may_change_role else self.locked_fields()
        for name in locked:
            self.fields[name].disabled = True
            self.fields[name].help_text += " Ask a publisher to change it."

    def locked_fields(self):
        """Return the fields an editor may not set: the account always, the kind
        once the reviewer exists."""
        return self.ROLE_FIELDS if self.instance.pk else ["user"]

    def clean(self):
        cleaned_data = super().clean()
        if self.may_change_role:
            return cleaned_data
        for name in self.locked_fields():
            posted = self.data.get(self.add_prefix(name))
            current = self.fields[name].prepare_value(self.initial.get(name))
            if posted is not None and str(posted or "") != str(current or ""):
                raise forms.ValidationError(
                    "Only a publisher can change a reviewer's kind or linked "
                    "account. Nothing was saved.",
                    code="role_locked",
                )
        return cleaned_data


@admin.register(Reviewer)
class ReviewerAdmin(BoundedSearch, VersionAdmin):
    form = ReviewerForm
    list_display = ["name", "credentials", "kind", "user", "is_sample"]
    list_filter = ["kind", "is_sample"]
    search_fields = ["name", "credentials"]
    autocomplete_fields = ["user"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        may_change_role = request.user.has_perm(PUBLISH)

        class RoleForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, may_change_role=may_change_role, **kwargs)

        return RoleForm


def _choosing_an_account(request):
    """Return True when an editor or publisher is searching accounts to fill in a
    form field (an article's owner, a reviewer's account)."""
    match = request.resolver_match
    return (
        match is not None
        and match.url_name == "autocomplete"
        and any(
            request.user.has_perm(name)
            for name in ("articles.change_article", "articles.change_reviewer")
        )
    )


class AccountAdmin(BoundedSearch, UserAdmin):
    """Sign-in accounts. Editors and publishers may search them when choosing an
    article's owner or a reviewer's account; only people allowed to manage
    accounts can list, open or change them."""

    def has_view_permission(self, request, obj=None):
        if super().has_view_permission(request, obj):
            return True
        return obj is None and _choosing_an_account(request)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AccountAdmin)
