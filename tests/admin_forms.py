"""Build the POST data of an admin change form as a browser would send it."""

from django import forms


def _form_data(form, data):
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue  # a file input is sent empty unless the user picks a file
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[form.add_prefix(name)] = "on"  # unticked boxes are not sent
            continue
        if value is None:
            # An empty multiple select sends nothing; other empty fields send "".
            value = (
                []
                if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
                else ""
            )
        elif isinstance(value, list | tuple):
            value = [str(v) for v in value]
        data[form.add_prefix(name)] = value


def change_form_data(response, **changes):
    """The data of the admin form in `response`, with `changes` applied."""
    data = {}
    _form_data(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        _form_data(inline.formset.management_form, data)
        for form in inline.formset.forms:
            _form_data(form, data)
    data.update(changes)
    return data


def admin_url(model_name, view, *args):
    """An admin address in French, whatever language a test left active."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override("fr"):
        return reverse(f"admin:catalogue_{model_name}_{view}", args=args)


def admin_import(client, model_name, content, name="rows.csv", fmt=0):
    """The dry run of an import (format 0 CSV, 1 XLSX): the page that previews it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    if isinstance(content, str):
        content = content.encode()
    return client.post(
        admin_url(model_name, "import"),
        {"format": str(fmt), "resource": "0", "import_file": SimpleUploadedFile(name, content)},
    )


def confirm_import(client, preview, model_name):
    """Confirm the import that `preview` shows, as the confirm button does."""
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(admin_url(model_name, "process_import"), data, follow=True)


def admin_export(client, model_name, fmt=0, **filters):
    """Export a changelist (filtered as in its address) with every field ticked."""
    from urllib.parse import urlencode

    path = admin_url(model_name, "export") + (f"?{urlencode(filters)}" if filters else "")
    form = client.get(path).context["form"]
    data = {"format": str(fmt), "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if name.endswith("_slug")
                 or field.__class__.__name__ == "BooleanField"})  # fmt: skip
    return client.post(path, data)
