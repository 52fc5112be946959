"""Forms for the review workspace. They check the shape of what was typed; whether a
move is allowed is for the workflow to say."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles import display

from .models import Reviewer

User = get_user_model()

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


class FullReviewNotNeededField(forms.BooleanField):
    def __init__(self, **kwargs):
        super().__init__(
            label="A full review is not needed now",
            required=False,
            help_text="This article is overdue for its full review. If you choose "
            "minor correction, tick this to confirm that it can go live without one.",
            **kwargs,
        )


class OverdueConfirmationMixin:
    """Publishing forms ask for the confirmation only while the article is
    overdue; when posted, the field is read and the workflow decides."""

    def __init__(self, *args, overdue=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not overdue:
            del self.fields["full_review_not_needed"]


class PublishForm(OverdueConfirmationMixin, Form):
    review = ReviewKindField()
    full_review_not_needed = FullReviewNotNeededField()
    comment = CommentField()


class MomentField(forms.DateTimeField):
    """A date and time typed in the site's local time."""

    def __init__(self, *, label, required_message, **kwargs):
        super().__init__(
            label=label,
            input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
            widget=forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            error_messages={
                "required": required_message,
                "invalid": "Enter a real date and time, for example 14 March 2027 "
                "at 09:00.",
            },
            **kwargs,
        )


def _local_time_help(field):
    zone = timezone.get_current_timezone_name().replace("_", " ")
    field.help_text = f"In {zone} time."


class ScheduleForm(OverdueConfirmationMixin, Form):
    go_live_at = MomentField(
        label="Go live on",
        required_message="Enter the date and time the page should go live.",
    )
    review = ReviewKindField()
    full_review_not_needed = FullReviewNotNeededField()
    comment = CommentField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _local_time_help(self.fields["go_live_at"])


class CancelScheduleForm(Form):
    comment = CommentField(help_text="For example, why it should not go live then.")


class ExpiryForm(Form):
    unpublish_at = MomentField(
        label="Take off the public site on",
        required_message="Enter the date and time the page should come off the site.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unpublish_at"]
        _local_time_help(field)
        field.help_text += " Readers then see that the page has been removed."


class ClearExpiryForm(Form):
    """Nothing to fill in: the button says it all."""


class ReviewDatesForm(Form):
    """Corrected review dates, with the reason recorded in the history."""

    reviewed_on = forms.DateField(
        label="Reviewed",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The day of the last full review.",
        error_messages={
            "required": "Enter the date of the last full review.",
            "invalid": "Enter a real date for the review, for example 1 July 2025.",
        },
    )
    next_review_on = forms.DateField(
        label="Next review",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="When the next full review is due: after the reviewed date, and "
        "no more than the review interval after it.",
        error_messages={
            "required": "Enter the date the next review is due.",
            "invalid": "Enter a real date for the next review, for example "
            "1 July 2028.",
        },
    )
    reason = CommentField(
        label="Why are you correcting them?",
        required=True,
        help_text="Kept in the article's history, for example “The review was "
        "finished on 3 March, not 3 May”.",
        error_messages={"required": "Say why the review dates need correcting."},
    )


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


class OwnerForm(Form):
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=User.objects.filter(is_staff=True, is_active=True).order_by(
            "first_name", "last_name", "username"
        ),
        required=False,
        empty_label="Nobody",
        help_text="The editor who keeps this article up to date and gets its review "
        "reminders. Only staff who sign in to the admin are listed.",
        error_messages={
            "invalid_choice": "That person cannot own articles: only staff who sign "
            "in to the admin can. Choose an editor or a publisher."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].label_from_instance = display.person
