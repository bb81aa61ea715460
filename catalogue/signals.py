"""Every change that alters what a visitor can find updates the search entries, in the
same transaction: saves (raw ones too: history revert and recover), deletions, relation
changes, a territory moved in the tree, a vocabulary value deleted."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from levers.models import Action, ActionArea, Lever
from territories.models import Territory, territory_moved

from .models import Accreditation, EntryKind, FilmCredit, PersonRole, Theme
from .search import index
from .search.documents import BY_MODEL, tag

INDEXED = tuple(BY_MODEL)
TAG_PREFIX = {Theme: "theme", Accreditation: "accreditation", Lever: "lever", ActionArea: "area"}


def kind_of(model):
    return BY_MODEL[model].kind


# Parts of another record's entry: a person's roles, a film's credits (whose people
# are found by the film's entry).
PARTS = (PersonRole, FilmCredit)


def part_changed(part):
    if isinstance(part, PersonRole):
        index.sync(EntryKind.PERSON, [part.person_id], with_dependents=False)
    else:
        index.sync(EntryKind.FILM, [part.film_id], with_dependents=False)


@receiver(pre_save, sender=Action)
def action_saving(sender, instance, **kwargs):
    # An action moved to another area leaves the old one: both entries change.
    old = Action.objects.filter(pk=instance.pk).values_list("area_id", flat=True).first()
    instance._search_old_area = old


@receiver(post_save)
def record_saved(sender, instance, **kwargs):
    if sender in INDEXED:
        index.sync(kind_of(sender), [instance.pk])
    elif sender is Action:
        areas = {instance.area_id, getattr(instance, "_search_old_area", None)} - {None}
        index.sync(kind_of(ActionArea), areas)
    elif sender in PARTS:
        part_changed(instance)
    if sender is Territory:  # its name is in the entries of the people with a role there
        roles = PersonRole.objects.filter(territory=instance)
        people = [pk for (pk,) in roles.values_list("person_id")]
        if people:
            index.sync(EntryKind.PERSON, people, with_dependents=False)


# Models whose changes no public page shows: the search layer itself, and proposals.
QUIET = {"searchentry", "entrytag", "tagcount", "proposal"}


@receiver(post_save)
@receiver(post_delete)
def public_content_changed(sender, **kwargs):
    """Something a public page shows changed (a record, a method's step, a citation, a
    renamed theme or region): the home page and cached pages are built again."""
    opts = sender._meta
    if opts.app_label in {"catalogue", "levers", "territories"} and opts.model_name not in QUIET:
        index.bump_version()


@receiver(pre_delete)
def record_deleting(sender, instance, **kwargs):
    # Before the deletion removes the relations that say which entries depend on it.
    if sender in INDEXED:
        instance._search_dependents = index.dependents(kind_of(sender), [instance.pk])
    if sender in TAG_PREFIX:
        instance._search_tagged = index.tagged(tag(TAG_PREFIX[sender], instance.pk))


@receiver(post_delete)
def record_deleted(sender, instance, **kwargs):
    if sender in INDEXED:
        index.sync(kind_of(sender), [instance.pk], with_dependents=False)
        for kind, ids in getattr(instance, "_search_dependents", []):
            index.sync(kind, ids, with_dependents=False)
    elif sender is Action:
        index.sync(kind_of(ActionArea), [instance.area_id])
    elif sender in PARTS:
        part_changed(instance)
    for kind, ids in getattr(instance, "_search_tagged", []):
        index.sync(kind, ids, with_dependents=False)


@receiver(m2m_changed)
def relations_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if model is type(instance):
        return  # structures' PTCE memberships: no entry is built from them
    if action == "pre_clear":
        # After a clear, pk_set is empty: remember who was related.
        instance._search_cleared = cleared_ids(sender, instance, model)
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_search_cleared", [])
    for side, ids in ((type(instance), [instance.pk]), (model, pk_set or [])):
        if side in INDEXED and ids:
            index.sync(kind_of(side), ids)


def cleared_ids(through, instance, model):
    """The ids of the `model` records related to `instance` through `through`."""
    fields = [f for f in through._meta.fields if f.is_relation]
    mine = next(f for f in fields if f.related_model is type(instance))
    theirs = next(f for f in fields if f.related_model is model)
    rows = through.objects.filter(**{mine.attname: instance.pk})
    return list(rows.values_list(theirs.attname, flat=True))


@receiver(territory_moved)
def territory_moved_in_tree(sender, territory, **kwargs):
    """Everything in a moved territory lies in other regions now: its entries' tags."""
    for kind, ids in index.tagged(tag("territory", territory.pk)):
        index.sync(kind, ids, with_dependents=False)
