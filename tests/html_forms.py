"""Reading a form from a page's HTML and submitting what it shows, as a browser would."""

import lxml.html


def find_form(html: str, form: int | str = 0):
    """The page's form number ``form``, or the first one matching the XPath ``form``."""
    forms = lxml.html.fromstring(html).forms
    if isinstance(form, int):
        return forms[form]
    return next(candidate for candidate in forms if candidate.xpath(f"self::{form}"))


def form_values(html: str, form: int | str = 0) -> dict[str, str | list[str]]:
    """The fields a browser would submit from the page's ``form`` (see find_form), untouched.

    lxml applies the browser's rules: a select submits its selected option (the
    first when none is), unticked checkboxes submit nothing, buttons nothing.
    Names that occur more than once become lists.
    """
    values: dict[str, str | list[str]] = {}
    for name, value in find_form(html, form).form_values():
        if name in values:
            previous = values[name]
            values[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            values[name] = value
    return values


def select_options(html: str, name: str, form: int | str = 0) -> list[tuple[str, str]]:
    """The (value, shown text) of every option of the select called ``name``."""
    [select] = find_form(html, form).xpath(f".//select[@name='{name}']")
    return [(option.get("value"), option.text_content()) for option in select.iter("option")]
