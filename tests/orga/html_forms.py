"""Reading a form out of a page and submitting exactly what it shows, as a browser would."""

from urllib.parse import urlencode

import lxml.html


def form_fields(html: str | bytes, form_id: str, *, press: str | None = None, check=()):
    """The (name, value) pairs a browser sends for the form with id ``form_id``.

    Inputs and controls that point at the form with ``form="id"`` count too;
    unchecked boxes and unpressed buttons send nothing; ``press`` names the
    button pressed (its name and value are sent); ``check`` ticks the boxes with
    these values (each must be on the page).
    Returns (action, method, pairs).
    """
    document = lxml.html.fromstring(html)
    (form,) = document.xpath(f'//form[@id="{form_id}"]')
    controls = list(form.iter("input", "select", "textarea", "button"))
    controls += document.xpath(f'//*[@form="{form_id}"]')
    check = {str(value) for value in check}
    boxes = {c.get("value") for c in controls if (c.get("type") or "").lower() == "checkbox"}
    assert check <= boxes, f"no boxes for {sorted(check - boxes)} on the page"
    pairs = []
    for control in controls:
        name = control.get("name")
        if not name or control.get("disabled") is not None:
            continue
        kind = (control.get("type") or "").lower()
        if control.tag == "button" or kind == "submit":
            if press == name:
                pairs.append((name, control.get("value") or ""))
            continue
        if kind in ("checkbox", "radio"):
            if control.get("checked") is not None or control.get("value") in check:
                pairs.append((name, control.get("value") or "on"))
        elif control.tag == "select":
            options = control.xpath(".//option")
            chosen = [o for o in options if o.get("selected") is not None] or options[:1]
            for option in chosen:
                value = option.get("value")
                pairs.append((name, option.text_content() if value is None else value))
        elif control.tag == "textarea":
            text = control.text or ""
            # HTML drops one newline right after <textarea>.
            pairs.append((name, text[1:] if text.startswith("\n") else text))
        else:
            pairs.append((name, control.get("value") or ""))
    return form.get("action") or "", (form.get("method") or "get").lower(), pairs


def submit(client, page, form_id: str, *, press: str | None = None, check=(), **fill):
    """Post (or get) the form of ``page`` (a response) as shown, with boxes in ``check``
    ticked and ``fill`` typed in."""
    action, method, pairs = form_fields(page.content, form_id, press=press, check=check)
    action = action or page.wsgi_request.path
    pairs = [(name, value) for name, value in pairs if name not in fill]
    pairs += list(fill.items())
    body = urlencode(pairs)
    if method == "post":
        return client.post(action, body, content_type="application/x-www-form-urlencoded")
    return client.get(f"{action}?{body}")
