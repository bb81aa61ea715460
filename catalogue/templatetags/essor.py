import json

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import mark_safe
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


@register.simple_tag(takes_context=True)
def structured_data(context, record):
    """The record's schema.org JSON-LD, as a data block (which no browser runs, so the
    security policy has nothing to refuse)."""
    from catalogue.structured_data import json_ld

    data = json_ld(record, context["request"], (get_language() or "fr")[:2])
    if data is None:
        return ""
    text = json.dumps(data, ensure_ascii=False, default=str).translate(_json_script_escapes)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def fallback_lang(obj, field):
    """The language `field` is shown in when it is not the visitor's, else ''."""
    shown = shown_language(obj, field)
    return "" if shown == (get_language() or "fr")[:2] else shown
