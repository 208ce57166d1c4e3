"""Read a form out of a page and post back what a browser would send."""

import lxml.html

NOT_SENT = {"submit", "button", "image", "reset", "file"}


def browser_form_data(content: bytes | str, form_id: str) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser submits for the form with this id, without buttons.

    As browsers do: empty text fields are sent empty, unchecked boxes not at all, a
    select without a selected option sends its first, and one newline right after
    ``<textarea>`` is not part of its value.
    """
    form = lxml.html.fromstring(content).get_element_by_id(form_id)
    pairs = []
    for element in form.inputs:
        name = element.get("name")
        if not name or element.get("disabled") is not None:
            continue
        if element.tag == "input":
            kind = (element.get("type") or "text").lower()
            if kind in NOT_SENT:
                continue
            if kind in {"checkbox", "radio"}:
                if element.get("checked") is not None:
                    pairs.append((name, element.get("value", "on")))
                continue
            pairs.append((name, element.get("value", "")))
        elif element.tag == "textarea":
            text = element.text or ""
            pairs.append((name, text[1:] if text.startswith("\n") else text))
        elif element.tag == "select":
            options = list(element.iter("option"))
            chosen = [o for o in options if o.get("selected") is not None]
            if not chosen and options and element.get("multiple") is None:
                chosen = options[:1]
            pairs.extend((name, o.get("value", o.text or "")) for o in chosen)
    return pairs


def as_post(pairs: list[tuple[str, str]], **changes) -> dict[str, list[str]]:
    """Pairs as a dict of lists for the test client; ``changes`` replace a name's values."""
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return data
