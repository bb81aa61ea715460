from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from core.models import shown_language

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in(context, lang):
    """The current page in another language (the switcher keeps the visitor in place)."""
    request = context.get("request")
    if request is None:
        return f"/{lang}/"
    return translate_url(request.get_full_path(), lang)


@register.simple_tag(takes_context=True)
def alternates(context):
    return [(code, url_in(context, code)) for code, _name in settings.LANGUAGES]


@register.filter
def fallback_lang(obj, field):
    """The language `field` is shown in when it is not the visitor's, else ''."""
    shown = shown_language(obj, field)
    return "" if shown == (get_language() or "fr")[:2] else shown
