"""Posting the admin's meeting change form as a browser would, with a few fields changed."""


def admin_change_meeting(client, meeting, **changes):
    """The change form's current values, ``changes`` applied, posted back. Returns the response."""
    url = f"/admin/events/meeting/{meeting.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name not in {"organizations", "registration_opens_at", "registration_closes_at"}
    }
    for name in ("registration_opens_at", "registration_closes_at"):
        value = getattr(meeting, name)
        data[f"{name}_0"] = value.strftime("%Y-%m-%d")
        data[f"{name}_1"] = value.strftime("%H:%M:%S")
    data.update(
        {
            "starts_on": meeting.starts_on.isoformat(),
            "ends_on": meeting.ends_on.isoformat(),
            "venue": meeting.venue_id,
            "requires_approval": "on" if meeting.requires_approval else "",
        }
    )
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return client.post(url, data)
