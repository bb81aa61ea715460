"""Atom feeds: the newly published records, of the whole catalogue or of any search
(the search page's "follow this search"), newest first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from core.models import current_language

from .search import cards, engine
from .search.engine import Search
from .views import clean_params

ITEMS = 30


class SearchFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        self.request = request
        return clean_params(request.GET)

    def title(self, params):
        wanted = {k: v for k, v in params.items() if k not in {"page", "sort"} and v}
        if not wanted:
            return _("ESSor: newly published records")
        return _("ESSor: newly published records for this search")

    def link(self, params):
        search = reverse("catalogue:search")
        return f"{search}?{params.urlencode()}" if params else search

    def subtitle(self, params):
        return _("Practices, structures, films and the rest of the catalogue, newest first.")

    def items(self, params):
        lang = current_language()
        found = Search(params, lang)
        # Levers and action areas, part of the study, have no publication date.
        rows = (
            found.entries(found.all)
            .filter(published__isnull=False)
            .order_by("-published", "-pk")
            .values_list("pk", "kind", "object_id", "tags")[:ITEMS]
        )
        return cards.build(rows, lang, engine.theme_labels(found.facets, lang))

    def item_title(self, card):
        return card.title

    def item_description(self, card):
        return card.text

    def item_link(self, card):
        return card.url
