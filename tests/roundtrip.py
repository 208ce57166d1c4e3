"""Submit a form as a browser would: what the page shows, nothing made up by the test.

``form_pairs`` reads a form out of a page's HTML the way a browser builds its
submission: text inputs' values, checked boxes and radios, each select's
selected options (or its first one), textarea contents without the newline
that follows the opening tag, hidden inputs, controls outside the form that
point at it with ``form="id"``; buttons only when pressed. Tests that edit
something change just that field of what was shown; tests that change nothing
post it back untouched. A form that renders one value and reads another fails
them.

Which form (``choice``): ``form_id`` (the admin's is ``<model>_form``),
``action`` (the form whose action ends with it, e.g. ``"/move/"``), ``xpath``
(e.g. ``"form[contains(@class, 'registration-form')]"``) or ``index`` (the
n-th form of the page). With none, the page's ``<main>`` must hold exactly one
form that posts (the header's log-out button is not the page's form).
"""

from __future__ import annotations

from urllib.parse import urlencode

import lxml.html

NOT_SENT = {"submit", "button", "image", "reset", "file"}


def find_form(
    html: str | bytes,
    *,
    form_id: str | None = None,
    action: str | None = None,
    xpath: str | None = None,
    index: int | None = None,
):
    """The chosen form element (see the module docstring)."""
    document = lxml.html.fromstring(html)
    if form_id is not None:
        forms = document.xpath(f'//form[@id="{form_id}"]')
    elif action is not None:
        forms = [form for form in document.forms if (form.get("action") or "").endswith(action)]
    elif xpath is not None:
        forms = [form for form in document.forms if form.xpath(f"self::{xpath}")]
    elif index is not None:
        forms = [document.forms[index]]
    else:
        forms = [
            form
            for form in document.xpath("//main//form")
            if (form.get("method") or "").lower() == "post"
        ]
    assert len(forms) == 1, f"expected one form, found {len(forms)}"
    return forms[0]


def form_pairs(html: str | bytes, *, press: str | None = None, check=(), **choice):
    """The (name, value) pairs the chosen form submits, in page order.

    ``press``: the name of the button pressed (its value is sent); ``check``: tick
    the boxes with these values too (each must be on the page).
    """
    form = find_form(html, **choice)
    controls = list(form.iter("input", "select", "textarea", "button"))
    if form.get("id"):
        controls += form.getroottree().xpath(f'//*[@form="{form.get("id")}"]')
    check = {str(value) for value in check}
    boxes = {c.get("value") for c in controls if (c.get("type") or "").lower() == "checkbox"}
    assert check <= boxes, f"no boxes for {sorted(check - boxes)} on the page"
    pairs: list[tuple[str, str]] = []
    for control in controls:
        name = control.get("name")
        if not name or control.get("disabled") is not None:
            continue
        kind = (control.get("type") or "text").lower()
        if control.tag == "button" or kind in NOT_SENT:
            if press == name and kind != "file":
                pairs.append((name, control.get("value") or ""))
            continue
        if control.tag == "input" and kind in ("checkbox", "radio"):
            if control.get("checked") is not None or control.get("value") in check:
                pairs.append((name, control.get("value", "on")))
        elif control.tag == "select":
            options = control.xpath(".//option")
            chosen = [option for option in options if option.get("selected") is not None]
            if not chosen and options and control.get("multiple") is None:
                chosen = options[:1]
            for option in chosen:
                value = option.get("value")
                pairs.append((name, option.text_content() if value is None else value))
        elif control.tag == "textarea":
            # HTML drops one newline right after <textarea>.
            pairs.append((name, (control.text or "").removeprefix("\n")))
        else:
            pairs.append((name, control.get("value", "")))
    return pairs


def as_post_data(pairs: list[tuple[str, str]], **changes) -> dict[str, str | list[str]]:
    """Pairs as test-client data (repeated names become lists); ``changes`` replace values."""
    data: dict[str, str | list[str]] = {}
    for name, value in pairs:
        if name in data:
            previous = data[name]
            data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            data[name] = value
    data.update(changes)
    return data


def form_values(html: str | bytes, **choice) -> dict[str, str | list[str]]:
    """What the chosen form submits untouched, as a dict (see ``as_post_data``)."""
    return as_post_data(form_pairs(html, **choice))


def select_options(html: str | bytes, name: str, **choice) -> list[tuple[str, str]]:
    """The (value, shown text) of every option of the chosen form's select ``name``."""
    [select] = find_form(html, **choice).xpath(f".//select[@name='{name}']")
    return [(option.get("value"), option.text_content()) for option in select.iter("option")]


def submit(client, page, form_id: str, *, press: str | None = None, check=(), **fill):
    """Send the form of ``page`` (a response) as shown, by its own method and action, with
    the boxes in ``check`` ticked and ``fill`` typed in."""
    form = find_form(page.content, form_id=form_id)
    pairs = form_pairs(page.content, form_id=form_id, press=press, check=check)
    pairs = [(name, value) for name, value in pairs if name not in fill] + list(fill.items())
    action = form.get("action") or page.wsgi_request.path
    body = urlencode(pairs, doseq=True)
    if (form.get("method") or "get").lower() == "post":
        return client.post(action, body, content_type="application/x-www-form-urlencoded")
    return client.get(f"{action}?{body}")


def resubmit(client, url: str, *, choice: dict | None = None, button=None, **changes):
    """GET ``url``, post its form back (with ``changes``) to where the form posts.

    ``button``: a (name, value) pair for the submit button pressed, as browsers send it.
    Returns the POST response.
    """
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    form = find_form(page.content, **(choice or {}))
    pairs = form_pairs(page.content, **(choice or {}))
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
