"""The rich text allowed in section bodies, shared by the editor and the sanitiser.

One list of editor extensions decides both what the admin's editor offers and
what the sanitiser keeps, so the two cannot drift apart.
"""

from django_prose_editor.fields import ProseEditorField, create_sanitizer

# Section headings are <h2>; sub-headings inside a body are h3 and h4.
EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "History": True,
}

sanitise = create_sanitizer(EXTENSIONS)


class RichTextField(ProseEditorField):
    """A prose editor field that sanitises on every save, not only in forms."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", dict(EXTENSIONS))
        kwargs.setdefault("sanitize", True)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = sanitise(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value
