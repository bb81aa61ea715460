"""A citation's place in its document as two fields: the heading (in the document's
language) and the line ranges, so that pages say "lines" in the visitor's language."""

import django.core.validators
import re
from django.db import migrations, models


# A copy of catalogue.models.base.split_locator as it was: a migration stays as written.
LOCATOR_LINES = re.compile(r"\s*\((?:lines?|l\.)\s+([0-9][0-9,\s\-–]*?)\s*\)")


def split_locator(text):
    ranges = []
    for found in LOCATOR_LINES.findall(text):
        for part in found.replace("–", "-").split(","):
            part = re.sub(r"\s+", "", part)
            if part:
                ranges.append(part)
    return LOCATOR_LINES.sub("", text).strip(" ;,"), ", ".join(ranges)


def split_locators(apps, schema_editor):
    Citation = apps.get_model("catalogue", "Citation")
    for citation in Citation.objects.exclude(locator=""):
        citation.heading, citation.lines = split_locator(citation.locator)
        citation.heading = citation.heading[:300]
        citation.lines = citation.lines[:100]
        citation.save(update_fields=["heading", "lines"])


def join_locators(apps, schema_editor):
    Citation = apps.get_model("catalogue", "Citation")
    for citation in Citation.objects.all():
        place = f"{citation.heading} (lines {citation.lines})" if citation.lines else citation.heading
        citation.locator = place[:300]
        citation.save(update_fields=["locator"])


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0011_editor_notes'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='citation',
            options={'ordering': ['source__title', 'heading'], 'verbose_name': 'citation', 'verbose_name_plural': 'citations'},
        ),
        migrations.AddField(
            model_name='citation',
            name='heading',
            field=models.CharField(blank=True, help_text='As the document writes it, in its language.', max_length=300, verbose_name='heading or item'),
        ),
        migrations.AddField(
            model_name='citation',
            name='lines',
            field=models.CharField(blank=True, help_text='Line numbers and ranges in the seed file, such as “12-30, 41”.', max_length=100, validators=[django.core.validators.RegexValidator(re.compile('^\\d+(-\\d+)?(, \\d+(-\\d+)?)*$'), 'Line numbers and ranges, such as “12-30, 41”.')], verbose_name='lines'),
        ),
        migrations.RunPython(split_locators, join_locators),
        migrations.RemoveField(
            model_name='citation',
            name='locator',
        ),
    ]
