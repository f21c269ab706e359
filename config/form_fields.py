"""Form fields shared by the apps' forms."""

from django import forms


class TextareaField(forms.CharField):
    """A browser sends a textarea's line breaks as CRLF, but its maxlength counts each as
    one character: read as sent, a text the browser let through at the limit was
    refused as too long. Line breaks are kept as LF, so the two count alike."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")
