"""Email backends for the notification tests: one whose server is down, and one
that is slow, so that two sending runs overlap."""

import threading
import time

from django.core.mail.backends.base import BaseEmailBackend

sent = []
_lock = threading.Lock()


class DownBackend(BaseEmailBackend):
    """An email server that refuses every connection."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("Connection refused by the email server")


class SlowBackend(BaseEmailBackend):
    """An email server that takes a moment per email, and keeps what it sent."""

    def send_messages(self, email_messages):
        for message in email_messages:
            time.sleep(0.2)
            with _lock:
                sent.append(message)
        return len(email_messages)


class RefusingBackend(BaseEmailBackend):
    """An email server that answers, and refuses every recipient."""

    def send_messages(self, email_messages):
        import smtplib

        raise smtplib.SMTPRecipientsRefused(
            {message.to[0]: (550, b"No such mailbox") for message in email_messages}
        )
