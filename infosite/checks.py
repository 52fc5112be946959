"""Settings checked at start-up (``manage.py check``, ``migrate``, ``runserver``
and the web server's ``check --deploy`` before it starts): a value that would
make the site publish without the approvals the charity asks for, or wait
forever on a database, stops it with a message saying which variable to fix.
"""

from django.conf import settings
from django.core import checks

MAX_REVIEW_INTERVAL_YEARS = 5
MAX_CONNECT_TIMEOUT_SECONDS = 30
MAX_CACHE_TIMEOUT_SECONDS = 5


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _error(message, hint, number):
    return checks.Error(message, hint=hint, id=f"infosite.E{number:03d}")


def check_publishing_policy(app_configs=None, **kwargs):
    return _check_policy(
        "PUBLISHING_POLICY", "articles", "clinical:1,lived_experience:1"
    ) + _check_policy("GLOSSARY_POLICY", "glossary terms", "clinical:1")


def _check_policy(name, what, default):
    from articles.models import Reviewer

    kinds = list(Reviewer.Kind.values)
    policy = settings.INFOSITE.get(name)
    example = f"for example {default}"
    if not isinstance(policy, dict) or not policy:
        return [
            _error(
                f"{name} names no approvals: {what} could be "
                "published without any review.",
                f"Set {name} to kind:count pairs, {example}.",
                1,
            )
        ]
    errors = []
    for kind, count in policy.items():
        if kind not in kinds:
            errors.append(
                _error(
                    f"{name} names an unknown kind of reviewer: “{kind}”.",
                    f"Use only {', '.join(kinds)}, {example}.",
                    2,
                )
            )
        if not _whole(count) or count < 1:
            errors.append(
                _error(
                    f"{name} asks for {count!r} approvals from "
                    f"“{kind}”; it must be a whole number, 1 or more.",
                    f"Leave out a kind that needs no approval, {example}.",
                    3,
                )
            )
    return errors


def check_review_dates(app_configs=None, **kwargs):
    years = settings.INFOSITE.get("REVIEW_INTERVAL_YEARS")
    days = settings.INFOSITE.get("REVIEW_NOTICE_DAYS")
    errors = []
    if not _whole(years) or not 1 <= years <= MAX_REVIEW_INTERVAL_YEARS:
        errors.append(
            _error(
                f"REVIEW_INTERVAL_YEARS is {years!r}; it must be a whole number "
                f"of years from 1 to {MAX_REVIEW_INTERVAL_YEARS}.",
                "Most health information is fully reviewed every 3 years "
                "(REVIEW_INTERVAL_YEARS=3).",
                4,
            )
        )
        years = None
    if not _whole(days) or days < 1 or (years and days >= years * 365):
        longest = (
            f"less than {years * 365}" if years else "less than the review interval"
        )
        errors.append(
            _error(
                f"REVIEW_NOTICE_DAYS is {days!r}; it must be a whole number of "
                f"days, 1 or more and {longest}.",
                "It is how long before its review date an article shows as due "
                "soon, for example REVIEW_NOTICE_DAYS=90.",
                5,
            )
        )
    return errors


def check_timeouts(app_configs=None, **kwargs):
    errors = []
    connect = getattr(settings, "DB_CONNECT_TIMEOUT", None)
    statement = getattr(settings, "DB_STATEMENT_TIMEOUT_MS", None)
    if connect is not None and (
        not _whole(connect) or not 1 <= connect <= MAX_CONNECT_TIMEOUT_SECONDS
    ):
        errors.append(
            _error(
                f"DB_CONNECT_TIMEOUT is {connect!r}; it must be a whole number "
                f"of seconds from 1 to {MAX_CONNECT_TIMEOUT_SECONDS}.",
                "Readers wait this long for a database that cannot be reached "
                "before they are told to try again (DB_CONNECT_TIMEOUT=2).",
                6,
            )
        )
    if statement is not None and (not _whole(statement) or statement < 0):
        errors.append(
            _error(
                f"DB_STATEMENT_TIMEOUT_MS is {statement!r}; it must be a whole "
                "number of milliseconds, or 0 for no limit.",
                "Readers wait this long for a database that does not answer "
                "(DB_STATEMENT_TIMEOUT_MS=2000).",
                7,
            )
        )
    for alias, cache in settings.CACHES.items():
        for option in ("socket_connect_timeout", "socket_timeout"):
            value = cache.get("OPTIONS", {}).get(option)
            if value is None:
                continue
            if (
                not isinstance(value, int | float)
                or isinstance(value, bool)
                or not 0 < value <= MAX_CACHE_TIMEOUT_SECONDS
            ):
                errors.append(
                    _error(
                        f"The {alias} cache's {option} is {value!r}; it must be "
                        f"more than 0 and at most {MAX_CACHE_TIMEOUT_SECONDS} "
                        "seconds.",
                        "Every page waits this long when Redis is away "
                        "(CACHE_CONNECT_TIMEOUT and CACHE_TIMEOUT, e.g. 0.25).",
                        8,
                    )
                )
    return errors


def check_sign_in_throttling(app_configs=None, **kwargs):
    errors = []
    limit = getattr(settings, "AXES_FAILURE_LIMIT", None)
    if not _whole(limit) or limit < 1:
        errors.append(
            _error(
                f"SIGN_IN_FAILURE_LIMIT is {limit!r}; it must be a whole number, "
                "1 or more.",
                "How many wrong passwords are allowed before signing in is "
                "paused, for example SIGN_IN_FAILURE_LIMIT=5.",
                9,
            )
        )
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    if cooloff is None or cooloff.total_seconds() < 60:
        errors.append(
            _error(
                "SIGN_IN_LOCKOUT_MINUTES must be 1 or more.",
                "How long signing in stays paused, for example "
                "SIGN_IN_LOCKOUT_MINUTES=15.",
                10,
            )
        )
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not _whole(proxies) or proxies < 0:
        errors.append(
            _error(
                f"TRUSTED_PROXY_COUNT is {proxies!r}; it must be 0 or more.",
                "The number of reverse proxies in front of the site, for "
                "example 1 behind nginx.",
                11,
            )
        )
    return errors


def check_statement_timeout_in_production(app_configs=None, **kwargs):
    if getattr(settings, "DB_STATEMENT_TIMEOUT_MS", None) == 0:
        return [
            checks.Warning(
                "DB_STATEMENT_TIMEOUT_MS is 0: a database that stops answering "
                "holds readers' requests until the web server gives up.",
                hint="Lift the limit only for a long maintenance command, for "
                "example DB_STATEMENT_TIMEOUT_MS=0 python manage.py migrate.",
                id="infosite.W001",
            )
        ]
    return []


def register():
    for check in (
        check_publishing_policy,
        check_review_dates,
        check_timeouts,
        check_sign_in_throttling,
    ):
        checks.register(check)
    checks.register(check_statement_timeout_in_production, deploy=True)
