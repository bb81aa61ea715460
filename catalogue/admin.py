"""The curators' admin: workflow, translation status, provenance, history, import/export.

Roles (groups created by migration catalogue 0004): curators write drafts and submit
them for review; editors publish, unpublish and archive. A curator's edit of a
published record is kept aside as a Proposal until an editor applies it, so the
public never sees unreviewed text.
"""

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportMixin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from reversion.admin import VersionAdmin
from reversion.models import Version

from core.admin import FORMATS, CitationInline, LimitedImportMixin

from .models import (
    Accreditation,
    Citation,
    Figure,
    Film,
    FilmCredit,
    Language,
    Method,
    MethodStep,
    Person,
    PersonRole,
    Practice,
    Proposal,
    ProposalStatus,
    Source,
    Status,
    Structure,
    Term,
    Theme,
)
from .resources import FigureResource, PersonResource, PracticeResource, StructureResource


class MissingTranslationFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [
            ("en", _("Missing English")),
            ("fr", _("Missing French")),
            ("review", _("Translation to review")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "review":
            return queryset.filter(translation_by_hand=False)
        if self.value() not in {"fr", "en"}:
            return queryset
        other = "en" if self.value() == "fr" else "fr"
        missing = Q()
        for field in queryset.model().translated_fields():
            empty = Q(**{f"{field}_{self.value()}": ""}) | Q(
                **{f"{field}_{self.value()}__isnull": True}
            )
            present = ~Q(**{f"{field}_{other}": ""}) & Q(**{f"{field}_{other}__isnull": False})
            missing |= empty & present
        return queryset.filter(missing)


class PendingProposalFilter(admin.SimpleListFilter):
    title = _("proposed changes")
    parameter_name = "proposal"

    def lookups(self, request, model_admin):
        return [("pending", _("Waiting for an editor"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            pending = Proposal.objects.pending().filter(
                content_type=ContentType.objects.get_for_model(queryset.model)
            )
            return queryset.filter(pk__in=pending.values("object_id"))
        return queryset


class RecordAdmin(LimitedImportMixin, ImportExportMixin, VersionAdmin, TabbedTranslationAdmin):
    """What structures, practices and films share in the admin."""

    formats = FORMATS
    inlines = [CitationInline]
    list_per_page = 50
    readonly_fields = ["created_at", "updated_at"]
    actions = ["submit_for_review", "publish", "unpublish", "archive"]
    common_filters = [
        "status",
        MissingTranslationFilter,
        PendingProposalFilter,
        "citations__source",
        "original_language",
    ]

    # --- roles -----------------------------------------------------------------
    def has_publish_permission(self, request):
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if (
            obj is not None
            and obj.status != Status.DRAFT
            and not self.has_publish_permission(request)
        ):
            fields.append("status")
        return fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.has_publish_permission(request):
            kwargs["choices"] = [(s.value, s.label) for s in (Status.DRAFT, Status.REVIEW)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    # --- edits of published records become proposals --------------------------------
    def becomes_proposal(self, request, obj, change):
        return (
            change
            and not self.has_publish_permission(request)
            and type(obj).objects.filter(pk=obj.pk, status=Status.PUBLISHED).exists()
        )

    def save_model(self, request, obj, form, change):
        if self.becomes_proposal(request, obj, change):
            request.essor_proposal = Proposal.from_form(form, request.user)
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        proposal = getattr(request, "essor_proposal", None)
        if proposal is None:
            return super().save_related(request, form, formsets, change)
        for formset in formsets:  # nothing saved; the change message expects these
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if any(formset.has_changed() for formset in formsets):
            self.message_user(
                request,
                _("Changes to the sources of a published record are made by an editor."),
                messages.WARNING,
            )

    def log_change(self, request, obj, message):
        if getattr(request, "essor_proposal", None):
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        proposal = getattr(request, "essor_proposal", None)
        if proposal is None:
            return super().response_change(request, obj)
        if not proposal.changes:
            self.message_user(request, _("Nothing was changed."), messages.INFO)
        else:
            self.message_user(
                request,
                _(
                    "Your changes are waiting for an editor. The public keeps seeing the "
                    "published version until they are applied."
                ),
                messages.SUCCESS,
            )
        return self.response_post_save_change(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "pending_proposals": Proposal.objects.pending_for(obj) if obj else [],
            "changes_become_proposal": obj is not None
            and obj.status == Status.PUBLISHED
            and not self.has_publish_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # --- history: reverting and recovering follow the rules of an edit --------------
    # django-reversion writes the old version straight to the database; for a user
    # without the publish permission that would publish a record, or bring back text an
    # editor replaced, without review. So for them: reverting a published record is a
    # proposal, like an edit; reverting another keeps its status; a recovered record
    # comes back as a draft. Viewing a version (GET) changes nothing for anyone.
    def revision_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "POST" or self.has_publish_permission(request):
            return super().revision_view(request, object_id, version_id, extra_context)
        version = get_object_or_404(Version, pk=version_id, object_id=unquote(object_id))
        context = {"title": _("Revert %(name)s") % {"name": version.object_repr}, "revert": True}
        template = self.revision_form_template or self._reversion_get_template_list(
            "revision_form.html"
        )
        return self.revert_under_review(request, version, {**context, **(extra_context or {})},
                                        template)  # fmt: skip

    def recover_view(self, request, version_id, extra_context=None):
        if request.method != "POST" or self.has_publish_permission(request):
            return super().recover_view(request, version_id, extra_context)
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(Version, pk=version_id)
        context = {"title": _("Recover %(name)s") % {"name": version.object_repr}, "recover": True}
        template = self.recover_form_template or self._reversion_get_template_list(
            "recover_form.html"
        )
        return self.revert_under_review(request, version, {**context, **(extra_context or {})},
                                        template)  # fmt: skip

    def revert_under_review(self, request, version, context, template):
        current = self.model._default_manager.filter(pk=version.object_id).first()
        if current is not None and current.status == Status.PUBLISHED:
            # The old version, as the form posts it, is an edit: it becomes a proposal.
            return self.changeform_view(request, quote(str(current.pk)), request.path, context)
        status = current.status if current is not None else Status.DRAFT
        with transaction.atomic(using=version.db), self.create_revision(request):
            version.revision.revert(delete=True)
            obj = self.model._default_manager.get(pk=version.object_id)
            if obj.status != status:
                obj.status = status
                obj.save(update_fields=["status", "updated_at"])
            if "status" not in request.POST:  # the form showed the old status, read-only
                request.POST = request.POST.copy()
                request.POST["status"] = status
            response = self.changeform_view(request, quote(str(obj.pk)), request.path, context)
            if response.status_code == 302:
                when = localize(version.revision.date_created)
                reversion.set_comment(
                    gettext("Reverted to the version of %(date)s, status kept: %(status)s")
                    % {"date": when, "status": obj.get_status_display()}
                )
            else:  # the form was refused: nothing is reverted
                response.template_name = template
                response.render()
                transaction.set_rollback(True, using=version.db)
        return response

    # --- status actions -----------------------------------------------------------
    def set_status(self, request, queryset, status, comment):
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(comment)
            count = 0
            for obj in queryset:
                if obj.status != status:
                    obj.status = status
                    obj.save(update_fields=["status", "updated_at"])
                    count += 1
        return count

    @admin.action(description=_("Submit the selected drafts for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        count = self.set_status(
            request, queryset.filter(status=Status.DRAFT), Status.REVIEW, "Submitted for review"
        )
        self.message_user(
            request, _("%(count)d record(s) submitted for review.") % {"count": count}
        )

    @admin.action(description=_("Publish the selected records"), permissions=["publish"])
    def publish(self, request, queryset):
        count = self.set_status(request, queryset, Status.PUBLISHED, "Published")
        self.message_user(request, _("%(count)d record(s) published.") % {"count": count})

    @admin.action(description=_("Unpublish the selected records (back to draft)"),
                  permissions=["publish"])  # fmt: skip
    def unpublish(self, request, queryset):
        count = self.set_status(request, queryset, Status.DRAFT, "Unpublished")
        self.message_user(request, _("%(count)d record(s) returned to draft.") % {"count": count})

    @admin.action(description=_("Archive the selected records"), permissions=["publish"])
    def archive(self, request, queryset):
        count = self.set_status(request, queryset, Status.ARCHIVED, "Archived")
        self.message_user(request, _("%(count)d record(s) archived.") % {"count": count})

    # --- columns ------------------------------------------------------------------
    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("citations__source")

    @admin.display(description=_("languages"))
    def languages(self, obj):
        missing = obj.missing_languages()
        parts = []
        for code, _label in Language.choices:
            if code in missing:
                state = gettext("missing")
            elif code == obj.original_language:
                state = gettext("original")
            elif obj.translation_by_hand:
                state = gettext("by hand")
            else:
                state = gettext("to review")
            parts.append((code.upper(), state))
        return format_html_join(" · ", "{} {}", parts)

    @admin.display(description=_("sources"))
    def provenance(self, obj):
        citations = obj.citations.all()
        if not citations:
            return gettext("Added by hand")
        return format_html_join(", ", "{}", ((c.source.title,) for c in citations))

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "user": request.user}


@admin.register(Structure)
class StructureAdmin(RecordAdmin):
    resource_classes = [StructureResource]
    list_display = ["name", "legal_form", "role", "territory", "status", "languages",
                    "provenance", "updated_at"]  # fmt: skip
    list_filter = [
        *RecordAdmin.common_filters,
        "legal_form",
        "role",
        "accreditations",
        "themes",
        ("territory", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["territory"]
    search_fields = ["name_fr", "name_en", "acronym", "slug"]
    autocomplete_fields = ["territory", "themes", "accreditations", "ptces", "member_authorities"]
    prepopulated_fields = {"slug": ["name_fr"]}
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "status"]}),
        (
            _("Status"),
            {"fields": ["legal_form", "accreditations", "role", "ptces", "member_authorities"]},
        ),
        (_("Place and themes"), {"fields": ["territory", "themes", "year_founded", "website"]}),
        (
            _("Presentation"),
            {"fields": ["description", "logo", "logo_alt", "editor_note"]},
        ),
        (_("Languages"), {"fields": ["original_language", "translation_by_hand"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]


@admin.register(Practice)
class PracticeAdmin(RecordAdmin):
    resource_classes = [PracticeResource]
    list_display = ["title", "territory", "year_start", "status", "languages", "provenance",
                    "updated_at"]  # fmt: skip
    list_filter = [
        *RecordAdmin.common_filters,
        "themes",
        "levers",
        "action_areas",
        ("territory", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["territory"]
    search_fields = ["title_fr", "title_en", "slug"]
    autocomplete_fields = ["territory", "other_territories", "themes", "structures", "levers",
                           "action_areas", "merged_into"]  # fmt: skip
    prepopulated_fields = {"slug": ["title_fr"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "status"]}),
        (_("Content"), {"fields": ["summary", "description", "editor_note"]}),
        (
            _("Links"),
            {
                "fields": [
                    "territory",
                    "other_territories",
                    "themes",
                    "structures",
                    "levers",
                    "action_areas",
                    "merged_into",
                ]
            },
        ),  # fmt: skip
        (_("Period"), {"fields": ["period", "year_start", "year_end"]}),
        (_("Languages"), {"fields": ["original_language", "translation_by_hand"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]


class FilmCreditInline(admin.TabularInline):
    model = FilmCredit
    extra = 0
    autocomplete_fields = ["person", "film"]


class PersonRoleInline(TranslationTabularInline):
    model = PersonRole
    extra = 0
    autocomplete_fields = ["structure", "territory"]
    fields = ["title", "structure", "territory", "period", "order"]


@admin.register(Film)
class FilmAdmin(RecordAdmin):
    list_display = ["title", "year", "practice", "status", "languages", "provenance"]
    list_filter = [*RecordAdmin.common_filters, "producing_project"]
    list_select_related = ["practice"]
    search_fields = ["title_fr", "title_en", "credits__person__name", "slug"]
    autocomplete_fields = ["practice", "structure", "territory"]
    inlines = [FilmCreditInline, *RecordAdmin.inlines]
    prepopulated_fields = {"slug": ["title_fr"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "status"]}),
        (
            _("Film"),
            {"fields": ["producing_project", "year", "language", "video_url"]},
        ),  # fmt: skip
        (_("Shows"), {"fields": ["practice", "structure", "territory"]}),
        (_("Presentation"), {"fields": ["description", "poster", "poster_alt", "editor_note"]}),
        (_("Languages"), {"fields": ["original_language", "translation_by_hand"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    resource_classes = [PersonResource]
    list_display = ["name", "status", "languages", "provenance", "updated_at"]
    list_filter = [
        *RecordAdmin.common_filters,
        ("roles__territory", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "slug", "roles__title_fr", "roles__title_en"]
    autocomplete_fields = ["practices"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PersonRoleInline, FilmCreditInline, *RecordAdmin.inlines]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status"]}),
        (_("Public capacity"), {"fields": ["summary", "practices", "editor_note"]}),
        (_("Languages"), {"fields": ["original_language", "translation_by_hand"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()


@admin.register(Term)
class TermAdmin(RecordAdmin):
    list_display = ["name", "abbreviation", "status", "languages", "provenance", "updated_at"]
    list_filter = [*RecordAdmin.common_filters, "legal_form", "accreditation", "role"]
    search_fields = ["name_fr", "name_en", "abbreviation", "slug"]
    autocomplete_fields = ["related", "accreditation"]
    prepopulated_fields = {"slug": ["name_fr"]}
    fieldsets = [
        (None, {"fields": ["name", "abbreviation", "slug", "status"]}),
        (_("Definition"), {"fields": ["definition", "text", "related", "editor_note"]}),
        (
            _("Defines the value of a structure"),
            {
                "fields": ["legal_form", "accreditation", "role"],
                "description": _("Structure pages link this value to the term. One at most."),
            },
        ),
        (_("Languages"), {"fields": ["original_language", "translation_by_hand"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]


@admin.register(Figure)
class FigureAdmin(RecordAdmin):
    resource_classes = [FigureResource]
    list_display = ["__str__", "year", "kind", "territory", "status", "languages", "provenance"]
    list_filter = [
        *RecordAdmin.common_filters,
        "kind",
        "themes",
        ("territory", admin.RelatedOnlyFieldListFilter),
        "year",
    ]
    list_select_related = ["territory"]
    search_fields = ["label_fr", "label_en", "sentence_fr", "sentence_en", "slug"]
    autocomplete_fields = ["territory", "structure", "practice", "lever", "themes"]
    fieldsets = [
        (None, {"fields": ["slug", "status"]}),
        (
            _("Figure"),
            {"fields": ["value", "value_to", "out_of", "qualifier", "kind", "label", "year"]},
        ),
        (_("Source sentence"), {"fields": ["sentence", "editor_note"]}),
        (_("About"), {"fields": ["territory", "structure", "practice", "lever", "themes"]}),
        (_("Languages"), {"fields": ["original_language", "translation_by_hand"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]


class MethodStepInline(TranslationTabularInline):
    model = MethodStep
    extra = 0
    fields = ["order", "title", "text", "duration"]


@admin.register(Method)
class MethodAdmin(RecordAdmin):
    list_display = ["title", "kind", "structure", "status", "languages", "provenance"]
    list_filter = [*RecordAdmin.common_filters, "kind"]
    list_select_related = ["structure"]
    search_fields = ["title_fr", "title_en", "slug"]
    autocomplete_fields = ["structure", "practice"]
    prepopulated_fields = {"slug": ["title_fr"]}
    inlines = [MethodStepInline, *RecordAdmin.inlines]
    fieldsets = [
        (None, {"fields": ["title", "kind", "slug", "status"]}),
        (
            _("Method"),
            {
                "fields": [
                    "summary",
                    "duration",
                    "announced_steps",
                    "structure",
                    "practice",
                    "editor_note",
                ]
            },
        ),  # fmt: skip
        (_("Languages"), {"fields": ["original_language", "translation_by_hand"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]


@admin.register(Proposal)
class ProposalAdmin(ExportMixin, admin.ModelAdmin):
    """Editors compare proposed changes with the published text, then apply or reject."""

    formats = FORMATS
    list_display = ["__str__", "content_type", "author", "created_at", "status"]
    list_filter = ["status", "content_type"]
    list_select_related = ["author", "content_type"]
    readonly_fields = ["record_link", "author", "created_at", "status", "decided_by",
                       "decided_at", "comparison"]  # fmt: skip
    fields = readonly_fields
    actions = ["apply_proposals", "reject_proposals"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("record")

    def has_add_permission(self, request):
        return False  # proposals come from editing a published record

    def has_decide_permission(self, request):
        return request.user.has_perm("catalogue.change_proposal")

    def get_urls(self):
        view = self.admin_site.admin_view(self.proposed_file)
        return [
            path("<int:pk>/file/<str:field>/", view, name="catalogue_proposal_file"),
            *super().get_urls(),
        ]

    def proposed_file(self, request, pk, field):
        """A proposed image, for staff who may see proposals (never public media)."""
        proposal = get_object_or_404(Proposal, pk=pk)
        if not self.has_view_permission(request, proposal):
            raise PermissionDenied
        value = proposal.changes.get(field)
        if not isinstance(value, dict) or proposal.status != ProposalStatus.PENDING:
            raise Http404
        storage = storages["proposals"]
        if not storage.exists(value["proposed_file"]):
            raise Http404
        response = FileResponse(storage.open(value["proposed_file"]))
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
        return response

    @admin.display(description=_("record"))
    def record_link(self, obj):
        record = obj.record
        if record is None:
            return "—"
        url = reverse(
            f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk]
        )
        return format_html('<a href="{}">{}</a>', url, record)

    @admin.display(description=_("changes"))
    def comparison(self, obj):
        if obj.record is None:
            return "—"
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
            obj.rows(),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            gettext("field"),
            gettext("published"),
            gettext("proposed"),
            rows,
        )

    @admin.action(description=_("Apply the selected proposals"), permissions=["decide"])
    def apply_proposals(self, request, queryset):
        applied = 0
        for proposal in queryset.filter(status=ProposalStatus.PENDING):
            record = proposal.record
            if record is None or not request.user.has_perm(
                f"catalogue.publish_{record._meta.model_name}"
            ):
                continue
            try:
                with reversion.create_revision():
                    reversion.set_user(request.user)
                    reversion.set_comment(f"Applied proposed change #{proposal.pk}")
                    proposal.apply(request.user)
            except Exception as error:  # a validation error: show it, apply the others
                self.message_user(request, f"{proposal}: {error}", messages.ERROR)
            else:
                applied += 1
        self.message_user(request, _("%(count)d change(s) applied.") % {"count": applied})

    @admin.action(description=_("Reject the selected proposals"), permissions=["decide"])
    def reject_proposals(self, request, queryset):
        count = 0
        for proposal in queryset.filter(status=ProposalStatus.PENDING):
            proposal.reject(request.user)
            count += 1
        self.message_user(request, _("%(count)d change(s) rejected.") % {"count": count})


@admin.register(Theme, Accreditation)
class VocabularyAdmin(LimitedImportMixin, ImportExportMixin, VersionAdmin,
                      TabbedTranslationAdmin):  # fmt: skip
    formats = FORMATS
    list_display = ["name", "slug"]
    search_fields = ["name_fr", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(Source)
class SourceAdmin(ExportMixin, VersionAdmin, TabbedTranslationAdmin):
    formats = FORMATS
    list_display = ["title", "publisher", "language", "year", "file_name"]
    list_filter = ["language"]
    search_fields = ["title_fr", "title_en", "publisher", "file_name"]
    prepopulated_fields = {"slug": ["title_fr"]}


@admin.register(Citation)
class CitationAdmin(ExportMixin, admin.ModelAdmin):
    formats = FORMATS
    list_display = ["source", "heading", "lines", "content_type", "object_id"]
    list_filter = ["source", "content_type"]
    list_select_related = ["source", "content_type"]
    search_fields = ["heading"]
