"""Forms for the review workspace. They check the shape of what was typed; whether a
move is allowed is for the workflow to say."""

from django import forms
from django.utils import timezone

from .models import Reviewer

FULL_REVIEW = "full"
MINOR_CORRECTION = "minor"


class Form(forms.Form):
    """A form whose labels read as written, with no colon added."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class CommentField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, label="Comment (optional)", required=False, **kwargs):
        super().__init__(label=label, required=required, strip=True, **kwargs)


class SubmitForm(Form):
    reviewers = forms.ModelMultipleChoiceField(
        label="Send to",
        queryset=Reviewer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to send it to every reviewer.",
    )
    comment = CommentField(help_text="For example, what the reviewers should check.")

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewers


class RevisionForm(Form):
    """A decision on the exact version of the article the reviewer was shown."""

    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This page was out of date. Reload it and try again.",
            "invalid": "This page was out of date. Reload it and try again.",
        },
    )


class ApproveForm(RevisionForm):
    comment = CommentField()


class RequestChangesForm(RevisionForm):
    comment = CommentField(
        label="What needs to change",
        required=True,
        error_messages={
            "required": "Say what needs to change, so the editor knows what to do."
        },
    )


class ConfirmForm(Form):
    comment = CommentField()


class ReviewKindField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            label="What kind of change is this?",
            choices=[
                (FULL_REVIEW, "Full review — reset the review dates"),
                (MINOR_CORRECTION, "Minor correction — keep the review dates"),
            ],
            coerce=lambda value: value == FULL_REVIEW,
            widget=forms.RadioSelect,
            error_messages={
                "required": "Choose full review or minor correction.",
                "invalid_choice": "Choose full review or minor correction.",
            },
            **kwargs,
        )


class PublishForm(Form):
    review = ReviewKindField()
    comment = CommentField()


class ScheduleForm(Form):
    go_live_at = forms.DateTimeField(
        label="Go live on",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        error_messages={
            "required": "Enter the date and time the page should go live.",
            "invalid": "Enter a real date and time, for example 14 March 2027 at 09:00.",
        },
    )
    review = ReviewKindField()
    comment = CommentField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name().replace("_", " ")
        self.fields["go_live_at"].help_text = f"In {zone} time."


class UnpublishForm(Form):
    comment = CommentField(
        label="Why is it coming off the site?",
        required=True,
        error_messages={"required": "Say why the page is coming off the site."},
    )


class CompareForm(Form):
    """Choose two versions of an article to compare; both lists run newest first."""

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these fields cannot be declared above.
        self.fields["from"] = forms.TypedChoiceField(
            label="Compare the version saved", choices=choices, coerce=int
        )
        self.fields["to"] = forms.TypedChoiceField(
            label="with the version saved", choices=choices, coerce=int
        )
