from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Case


class CaseSitemap(Sitemap):
    """Published cases only: a draft or withdrawn case is never listed."""

    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Case.objects.published().order_by("pk")

    def location(self, case: Case) -> str:
        return reverse("showcase:case", args=[case.slug])

    def lastmod(self, case: Case):
        return case.public_changed_at


class PageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return ["showcase:home", "showcase:cases", "showcase:map", "showcase:open_data"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "cases": CaseSitemap}
