import pytest
from django.db import IntegrityError, transaction

from articles.models import Credit
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
