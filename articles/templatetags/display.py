from django import template

from .. import display

register = template.Library()


@register.filter
def person(user, nobody=""):
    """Show a user by their full name, else their username (``nobody`` if none)."""
    return display.person(user or None, nobody=nobody)
