"""Long lists a page at a time, with links that keep the list's other query parameters.

Every paged list renders its links with the one partial `templates/pagination.html`."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items, per_page: int, *, parameter: str = "page") -> Page:
    """The page of `items` that the request asks for (the last one for a number beyond it);
    `page.query` is the request's query without the page number, for the links."""
    page = Paginator(items, per_page).get_page(request.GET.get(parameter))
    query = request.GET.copy()
    query.pop(parameter, None)
    page.query = query.urlencode()
    page.parameter = parameter
    return page
