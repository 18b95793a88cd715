"""Glue between forms and services, shared by the apps' views."""

from collections.abc import Callable

from django.core.exceptions import ValidationError


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
