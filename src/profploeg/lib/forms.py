"""Glue between forms and services, and a select widget cheap enough for the filters above a
long table, shared by the apps' views."""

from collections.abc import Callable
from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe


def posted(request):
    """The POST data to bind a form to, or None on a GET (an unbound form).

    Not `request.POST or None`: an empty POST must still be validated and show its errors."""
    return request.POST if request.method == "POST" else None


def attempt(form, action: Callable) -> bool:
    """Run a service; put its ValidationError on the form instead of raising it."""
    try:
        action()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False
    return True


class PlainSelect(forms.Select):
    """Django's select, written in Python instead of through one template per option: the same
    markup at a fraction of the cost, for the filters above a long table."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>']
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f'<optgroup label="{escape(str(group))}">')
            parts += [
                f'<option value="{escape(str(option["value"]))}"{flatatt(option["attrs"])}>'
                f"{escape(str(option['label']))}</option>"
                for option in options
            ]
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))
