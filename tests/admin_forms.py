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
