"""What the in-process profiles share: Django set up for a script, the site's
WSGI application driven as gunicorn drives it, and the report of where the
time goes.

Import it before anything from Django or the site (``import _profiling`` from a
script in bench/, after setting PAGE_CACHE): it sets Django up.
"""

import cProfile
import io
import os
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "infosite.settings")

import django  # noqa: E402

django.setup()

from inprocess import environ  # noqa: E402  (bench/ is on the path)


def request(app, path):
    """One GET of ``path`` through ``app``; its headers and body. Stops the
    script when the page is not answered 200."""
    answer = {}
    body = b"".join(
        app(environ(path), lambda s, h, exc=None: answer.update(status=s, headers=h))
    )
    if not answer["status"].startswith("200"):
        raise SystemExit(f"{path} answered {answer['status']}")
    return dict(answer["headers"]), body


def profiled(app, path, count):
    """The profile of ``count`` requests for ``path``."""
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(count):
        request(app, path)
    profile.disable()
    return profile


def print_steps(profile, steps, count, unit="µs", combine=max):
    """Print the cumulative time per request of each step: (label, file
    fragment, function name), combining the functions of that name in that
    file with ``combine`` (``max``: the outermost one; ``sum``: all of them)."""
    scale = {"µs": 1e6, "ms": 1e3}[unit]
    stats = pstats.Stats(profile).stats
    print(f"\nWhere the time goes (profiled, {unit} per request; {count} requests):")
    for label, fragment, name in steps:
        total = combine(
            [
                cumulative
                for (filename, _line, function), (*_, cumulative, _callers) in (
                    stats.items()
                )
                if function == name and filename.endswith(fragment)
            ]
            or [0]
        )
        if total:
            print(f"{label:<58} {total / count * scale:8.2f}")


def print_top(profile, lines=15):
    """Print the functions that took the most time of their own."""
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(lines)
    print("\n" + "\n".join(out.getvalue().splitlines()[6:]))
