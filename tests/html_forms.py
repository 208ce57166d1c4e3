"""Reading a form from a page's HTML and submitting what it shows, as a browser would."""

import lxml.html


def form_values(html: str, index: int = 0) -> dict[str, str | list[str]]:
    """The fields a browser would submit from the page's form number ``index``, untouched.

    lxml applies the browser's rules: a select submits its selected option (the
    first when none is), unticked checkboxes submit nothing, buttons nothing.
    Names that occur more than once become lists.
    """
    form = lxml.html.fromstring(html).forms[index]
    values: dict[str, str | list[str]] = {}
    for name, value in form.form_values():
        if name in values:
            previous = values[name]
            values[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            values[name] = value
    return values


def select_options(html: str, name: str, index: int = 0) -> list[tuple[str, str]]:
    """The (value, shown text) of every option of the select called ``name``."""
    form = lxml.html.fromstring(html).forms[index]
    [select] = form.xpath(f".//select[@name='{name}']")
    return [(option.get("value"), option.text_content()) for option in select.iter("option")]
