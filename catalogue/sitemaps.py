"""sitemap.xml: every published page in French and English, with hreflang alternates
and, for records, the date they last changed."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from levers.models import ActionArea, Lever
from territories.models import Territory

from .models import Figure, Film, Method, Person, Practice, Structure, Term


class Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Each item is listed once per language: at most 50,000 addresses per file.
    limit = 25_000


class RecordSitemap(Bilingual):
    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, record):
        return record.updated_at


class PlainSitemap(Bilingual):
    """Levers, action areas and territories: pages of their own, always public."""

    def __init__(self, queryset):
        self.queryset = queryset

    def items(self):
        return self.queryset.order_by("pk")


class PagesSitemap(Bilingual):
    changefreq = "daily"

    def items(self):
        return ["home", "catalogue:films", "catalogue:figures", "catalogue:glossary",
                "levers:list"]  # fmt: skip

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PagesSitemap(),
    **{
        model._meta.model_name: RecordSitemap(model)
        for model in (Structure, Practice, Film, Person, Term, Figure, Method)
    },
    "levers": PlainSitemap(Lever.objects.only("number")),
    "areas": PlainSitemap(ActionArea.objects.only("slug")),
    "territories": PlainSitemap(Territory.objects.only("slug")),
}
