"""Consultation points ("Beratung vor Ort"): counselling that comes to the quarters.

This package owns the recurring schedule as data and its expansion and iCalendar form
(`schedule`, `ical`), the vocabulary of target groups, the staff pages under
/admin/beratung (`staff_views`, `forms`, `operations`), the public pages /beratung,
/beratung/<slug>, /beratung.ics and /api/v1/consultations.geojson (`views`) and the
demo consultation points (`demo`). The model is `ConsultationPoint` in campaign.models.
"""
