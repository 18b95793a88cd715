from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect


def home(request):
    """Send each role to the page it works from."""
    user = request.user
    if user.role == user.Role.MUNICIPALITY:
        return redirect("applications:mine")
    if user.role == user.Role.PROVINCE:
        return redirect("applications:province")
    if user.role == user.Role.STAFF:
        return redirect("workspace")
    return redirect("programmes:list")


@login_not_required
def healthz(request):
    """Public: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
