from modeltranslation.translator import TranslationOptions, register

from .models import Action, ActionArea, Lever


@register(Lever)
class LeverTranslationOptions(TranslationOptions):
    fields = ("short_title", "text")


@register(ActionArea)
class ActionAreaTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Action)
class ActionTranslationOptions(TranslationOptions):
    fields = ("text",)
