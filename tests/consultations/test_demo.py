"""flask campaign seed-demo adds the example consultation points from the issue, once."""

from __future__ import annotations

from campaign.consultations import schedule as sched
from campaign.extensions import db
from campaign.models import AuditEntry, ConsultationPoint


def test_seed_demo_adds_marked_example_points_whose_exceptions_hit_real_dates(app, runner):
    result = runner.invoke(args=["campaign", "seed-demo", "--count", "2", "--pending", "0"])
    assert result.exit_code == 0, result.output
    assert "5 Beispiel-Beratungsorte angelegt." in result.output
    with app.app_context():
        points = db.session.scalars(db.select(ConsultationPoint)).all()
        assert len(points) == 5
        assert all(p.title.startswith("Beispiel:") and p.is_demo and p.published for p in points)
        quarters = {p.quarter for p in points}
        assert {"Querenburg", "Wattenscheid-Mitte", "Hamme", "Linden"} <= quarters
        linden = next(p for p in points if p.quarter == "Linden")
        assert linden.languages == ["uk", "ru", "de"]
        kinds = {rule["kind"] for p in points for rule in p.schedule["rules"]}
        assert kinds == {"weekly", "biweekly", "monthly"}
        for point in points:
            for day in sched.exception_dates(point.schedule):
                on_some_rule = any(sched.rule_dates(rule, day, day)
                                   for rule in point.schedule["rules"])
                assert on_some_rule, (point.title, day)
        assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(
            AuditEntry.action == "consultation_created")) == 5
    again = runner.invoke(args=["campaign", "seed-demo", "--count", "0", "--pending", "0"])
    assert "0 Beispiel-Beratungsorte angelegt." in again.output


def test_the_demo_points_have_dates_on_the_public_page(app, runner, client):
    runner.invoke(args=["campaign", "seed-demo", "--count", "0", "--pending", "0"])
    page = client.get("/beratung").get_data(as_text=True)
    with app.app_context():
        titles = db.session.scalars(db.select(ConsultationPoint.title)).all()
    # No rule ends, so every example has at least one date in any eight weeks.
    assert all(f">{title}</a>" in page for title in titles) and "ohne Termin" in page
