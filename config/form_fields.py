"""Form fields shared by the apps' forms."""

import json

from django import forms


class TextareaField(forms.CharField):
    """A browser sends a textarea's line breaks as CRLF, but its maxlength counts each as
    one character: read as sent, a text the browser let through at the limit was
    refused as too long. Line breaks are kept as LF, so the two count alike."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")


class PrintableJSONField(forms.JSONField):
    """Django's JSONField, showing a value no page can print with JSON's escapes: text
    holding half a surrogate pair (typed as "\\ud800") is the character itself once read,
    and the form shown again with its error could not be encoded (a 500). Other values
    show as Django shows them, accents as typed."""

    def prepare_value(self, value):
        shown = super().prepare_value(value)
        try:
            shown.encode()
        except UnicodeEncodeError:
            return json.dumps(value, cls=self.encoder)  # every character not ASCII escaped
        return shown
