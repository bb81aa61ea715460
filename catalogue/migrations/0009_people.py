"""People, their roles and film credits; a film's `director` becomes a credit.

Every `director` value so far came from the SUSY films page, which says each film was
"produced by" that person: for a film that cites that source the credit says
producer, for any other film it says director, as the field did. The person is
created with the film's status and sources.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils.text import slugify

SUSY = "susy-films"


def credits_from_directors(apps, schema_editor):
    Film = apps.get_model("catalogue", "Film")
    Person = apps.get_model("catalogue", "Person")
    FilmCredit = apps.get_model("catalogue", "FilmCredit")
    Citation = apps.get_model("catalogue", "Citation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    film_type = ContentType.objects.filter(app_label="catalogue", model="film").first()
    person_type, _ = ContentType.objects.get_or_create(app_label="catalogue", model="person")
    for film in Film.objects.exclude(director=""):
        citations = Citation.objects.filter(content_type=film_type, object_id=film.pk)
        slug = slugify(film.director)[:120] or f"film-{film.pk}-director"
        person, created = Person.objects.get_or_create(
            slug=slug,
            defaults={
                "name": film.director,
                "status": film.status,
                "original_language": film.original_language,
                "translation_by_hand": film.translation_by_hand,
            },
        )
        if created:
            Citation.objects.bulk_create(
                Citation(
                    source_id=c.source_id,
                    locator=c.locator,
                    content_type=person_type,
                    object_id=person.pk,
                )
                for c in citations
            )
        susy = citations.filter(source__slug=SUSY).exists()
        FilmCredit.objects.get_or_create(
            film=film, person=person, role="producer" if susy else "director"
        )


def directors_from_credits(apps, schema_editor):
    Film = apps.get_model("catalogue", "Film")
    for film in Film.objects.all():
        credit = film.credits.order_by("pk").first()
        if credit is not None:
            film.director = credit.person.name
            film.save(update_fields=["director"])




class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0008_glossary_roles"),
        ("territories", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Person",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "original_language",
                    models.CharField(
                        choices=[("fr", "French"), ("en", "English")],
                        default="fr",
                        help_text="The language of the source text this record was taken from.",
                        max_length=2,
                        verbose_name="original language",
                    ),
                ),
                ("slug", models.SlugField(max_length=120, unique=True, verbose_name="slug")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("review", "In review"),
                            ("published", "Published"),
                            ("archived", "Archived"),
                        ],
                        db_index=True,
                        default="draft",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "translation_by_hand",
                    models.BooleanField(
                        default=False,
                        help_text="Untick when the translation still needs a person to review it.",
                        verbose_name="translation done or checked by hand",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                ("summary_fr", models.TextField(blank=True, null=True, verbose_name="summary")),
                ("summary_en", models.TextField(blank=True, null=True, verbose_name="summary")),
                (
                    "practices",
                    models.ManyToManyField(
                        blank=True,
                        related_name="people",
                        to="catalogue.practice",
                        verbose_name="practices",
                    ),
                ),
            ],
            options={
                "verbose_name": "person",
                "verbose_name_plural": "people",
                "ordering": ["name"],
                "permissions": [("publish_person", "Can publish, unpublish and archive")],
            },
        ),
        migrations.CreateModel(
            name="PersonRole",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                ("title_fr", models.CharField(max_length=300, null=True, verbose_name="title")),
                ("title_en", models.CharField(max_length=300, null=True, verbose_name="title")),
                ("period", models.CharField(blank=True, max_length=100, verbose_name="period")),
                (
                    "period_fr",
                    models.CharField(blank=True, max_length=100, null=True, verbose_name="period"),
                ),
                (
                    "period_en",
                    models.CharField(blank=True, max_length=100, null=True, verbose_name="period"),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="roles",
                        to="catalogue.person",
                    ),
                ),
                (
                    "structure",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="person_roles",
                        to="catalogue.structure",
                        verbose_name="organisation",
                    ),
                ),
                (
                    "territory",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="person_roles",
                        to="territories.territory",
                        verbose_name="local authority or territory",
                    ),
                ),
            ],
            options={
                "verbose_name": "role",
                "verbose_name_plural": "roles",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.CreateModel(
            name="FilmCredit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[("producer", "Producer"), ("director", "Director")],
                        max_length=20,
                        verbose_name="role",
                    ),
                ),
                (
                    "film",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="credits",
                        to="catalogue.film",
                        verbose_name="film",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="credits",
                        to="catalogue.person",
                        verbose_name="person",
                    ),
                ),
            ],
            options={
                "verbose_name": "film credit",
                "verbose_name_plural": "film credits",
                "ordering": ["role", "person__name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("film", "person", "role"), name="film_credit_once"
                    )
                ],
            },
        ),
        migrations.RunPython(credits_from_directors, directors_from_credits),
        migrations.RemoveField(
            model_name="film",
            name="director",
        ),
        migrations.AlterField(
            model_name="searchentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("practice", "Practices"),
                    ("structure", "Structures"),
                    ("film", "Films"),
                    ("lever", "Levers"),
                    ("actionarea", "Action areas"),
                    ("term", "Glossary terms"),
                    ("person", "People"),
                ],
                max_length=12,
            ),
        ),
    ]
