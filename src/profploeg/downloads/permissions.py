from django.shortcuts import get_object_or_404

from .models import Download


def get_visible_download(user, pk: int) -> Download:
    """A download of the user's own; anyone else's does not exist for them (404)."""
    return get_object_or_404(Download.objects.visible_to(user), pk=pk)
