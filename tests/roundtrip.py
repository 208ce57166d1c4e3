"""Submit a form as a browser would: what the page shows, nothing made up by the test.

``shown_form`` reads a form out of a page's HTML the way a browser builds its
submission (text inputs' values, checked boxes and radios, each select's
selected options or its first one, textarea contents without the newline that
follows the opening tag, hidden inputs included, buttons left out). Tests that
edit something change just that field of what was shown; tests that change
nothing post it back untouched. A form that renders one value and reads
another fails them.
"""

from __future__ import annotations

import lxml.html

SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}


def shown_form(html: str | bytes, **choice):
    """The (name, value) pairs the chosen form would submit (see ``choose_form``)."""
    return _values(choose_form(html, **choice))


def choose_form(
    html: str | bytes,
    *,
    form_id: str | None = None,
    action: str | None = None,
    index: int | None = None,
):
    """``form_id``: the form with this id (the admin's is ``<model>_form``); ``action``: the
    form whose action attribute ends with it (e.g. ``"/move/"``); ``index``: the n-th form
    of the page. With none, the page's <main> must hold exactly one form with a method of post."""
    document = lxml.html.fromstring(html)
    forms = document.forms
    if form_id is not None:
        forms = [form for form in forms if form.get("id") == form_id]
    elif action is not None:
        forms = [form for form in forms if (form.get("action") or "").endswith(action)]
    elif index is not None:
        forms = [forms[index]]
    else:  # the page's own form, not the header's log-out button
        forms = [
            form
            for form in document.xpath("//main//form")
            if (form.get("method") or "").lower() == "post"
        ]
    assert len(forms) == 1, f"expected one form, found {len(forms)}"
    return forms[0]


def _values(form) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for element in form.iter("input", "select", "textarea"):
        name = element.get("name")
        if not name or element.get("disabled") is not None:
            continue
        if element.tag == "input":
            kind = (element.get("type") or "text").lower()
            if kind in SKIPPED_INPUTS:
                continue
            if kind in {"checkbox", "radio"}:
                if element.get("checked") is not None:
                    pairs.append((name, element.get("value", "on")))
                continue
            pairs.append((name, element.get("value", "")))
        elif element.tag == "textarea":
            text = element.text or ""
            # HTML drops one newline right after <textarea>; browsers send CRLF line ends,
            # which Django's form fields read back as LF.
            pairs.append((name, text.removeprefix("\n")))
        else:
            options = element.findall(".//option")
            chosen = [option for option in options if option.get("selected") is not None]
            if not chosen and options and element.get("multiple") is None:
                chosen = options[:1]
            for option in chosen:
                value = option.get("value")
                pairs.append((name, option.text_content() if value is None else value))
    return pairs


def as_post_data(pairs: list[tuple[str, str]], **changes) -> dict[str, str | list[str]]:
    """Pairs as test-client POST data (repeated names become lists), ``changes`` applied."""
    data: dict[str, str | list[str]] = {}
    for name, value in pairs:
        if name in data:
            previous = data[name]
            data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            data[name] = value
    data.update(changes)
    return data


def resubmit(client, url: str, *, choice: dict | None = None, button=None, **changes):
    """GET ``url``, post its form back (with ``changes``) to where the form posts.

    ``choice``: which form (``choose_form``'s arguments); ``button``: a (name, value) pair
    for the submit button pressed, as browsers send it. Returns the POST response.
    """
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    form = choose_form(page.content, **(choice or {}))
    pairs = _values(form)
    if button is not None:
        pairs.append(button)
    return client.post(form.get("action") or url, as_post_data(pairs, **changes))


def admin_resubmit(client, obj, **changes):
    """The admin change form of ``obj`` as shown, ``changes`` applied, saved."""
    opts = obj._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"
    return resubmit(
        client,
        url,
        choice={"form_id": f"{opts.model_name}_form"},
        button=("_save", "Save"),
        **changes,
    )
