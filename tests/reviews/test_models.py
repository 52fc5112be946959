import pytest
from django.db import IntegrityError, transaction

from articles.models import Approval, Credit, Reviewer
from tests import builders


@pytest.mark.django_db
def test_a_person_is_credited_once_per_role(article):
    credit = article.credits.filter(role="wrote").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(article=article, reviewer=credit.reviewer, role="wrote")


@pytest.mark.django_db
def test_reviewer_label_includes_credentials():
    reviewer = builders.make_reviewer(
        "Dr Sample Shah", credentials="Consultant Breast Surgeon"
    )
    assert str(reviewer) == "Dr Sample Shah, Consultant Breast Surgeon"


@pytest.mark.django_db
def test_a_decision_is_recorded_once_per_round(draft, team):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    approval = Approval.objects.get(reviewer__user=team.clinician)

    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.create(
            article=approval.article,
            revision=approval.revision,
            fingerprint=approval.fingerprint,
            round=approval.round,
            reviewer=approval.reviewer,
            reviewer_name=approval.reviewer_name,
            reviewer_kind=approval.reviewer_kind,
            decision=approval.decision,
        )
    assert Approval.objects.filter(reviewer__user=team.clinician).count() == 1


@pytest.mark.django_db
def test_a_decision_keeps_the_reviewer_as_they_were_and_is_current_until_an_edit(
    draft, team
):
    builders.submit(draft, team)
    builders.approve_all(draft, team)
    Reviewer.objects.filter(user=team.clinician).update(
        name="Dr Renamed", credentials="Retired", kind="editorial", is_sample=False
    )

    approval = Approval.objects.get(reviewer__user=team.clinician)
    assert (
        approval.reviewer_name,
        approval.reviewer_credentials,
        approval.reviewer_kind,
        approval.reviewer_is_sample,
    ) == ("Dr Sample Clinician", "Consultant Medical Oncologist", "clinical", True)
    assert str(approval) == "Approved by Dr Sample Clinician"
    assert approval.is_current

    builders.edit_section(draft, user=team.editor)
    assert not Approval.objects.get(pk=approval.pk).is_current
