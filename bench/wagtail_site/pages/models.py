"""An article page as a Wagtail site would model it: one StreamField block per
section, the references, credits and related pages as blocks too."""

from django.conf import settings
from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock()
    anchor = blocks.CharBlock()
    body = blocks.RichTextBlock()


class CreditBlock(blocks.StructBlock):
    role = blocks.ChoiceBlock(
        choices=[(r, r) for r in ("Written by", "Reviewed by", "Approved by")]
    )
    name = blocks.CharBlock()
    description = blocks.CharBlock(required=False)
    is_sample = blocks.BooleanBlock(required=False)


class TopicPage(Page):
    pass


class ArticlePage(Page):
    summary = models.TextField()
    body = StreamField([("section", SectionBlock())])
    references = StreamField([("reference", blocks.RichTextBlock())], blank=True)
    credits = StreamField([("credit", CreditBlock())], blank=True)
    related = StreamField(
        [("page", blocks.PageChooserBlock(page_type="pages.ArticlePage"))], blank=True
    )
    reviewed_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("references"),
        FieldPanel("credits"),
        FieldPanel("related"),
        FieldPanel("reviewed_on"),
        FieldPanel("next_review_on"),
    ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        groups = {}
        for block in self.credits:
            groups.setdefault(block.value["role"], []).append(block.value)
        context["credit_groups"] = [
            (role, groups[role])
            for role in ("Written by", "Reviewed by", "Approved by")
            if role in groups
        ]
        context["has_sample_people"] = any(
            block.value["is_sample"] for block in self.credits
        )
        context["organisation_name"] = settings.ORGANISATION_NAME
        context["contact_email"] = settings.CONTACT_EMAIL
        return context
