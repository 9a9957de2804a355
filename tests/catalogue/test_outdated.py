"""Outdated books flagged at sorting by a rule table that coordinators keep: a flag, never a decision."""
from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from books2iraq.audit import AuditEvent
from books2iraq.auth.roles import Role
from books2iraq.catalogue import imports, outdated
from books2iraq.catalogue.models import OutdatedRule
from books2iraq.catalogue.sources import SAMPLES_DIR
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.intake.models import Lot, LotStatus, RejectReason
from tests.factories import SiteFactory, TitleFactory, UserFactory

THIS_YEAR = date.today().year


def test_a_new_database_has_books_for_africas_two_rules(ctx):
    assert [(r.words, r.years) for r in outdated.all_rules()] == [("atlas", 5), ("textbook", 10)]


@pytest.mark.usefixtures("ctx")
def test_a_title_is_flagged_when_its_subject_or_name_says_a_rules_words_and_it_is_older_than_the_rule():
    old_textbook = TitleFactory(title="Physics", subject="Physics textbooks", year=THIS_YEAR - 11)
    young_textbook = TitleFactory(title="Chemistry", subject="Textbooks", year=THIS_YEAR - 10)
    old_atlas = TitleFactory(title="Atlas of the World", subject="geography", year=THIS_YEAR - 6)
    novel = TitleFactory(title="A novel", subject="fiction", year=1950)
    undated = TitleFactory(title="A textbook of nothing", subject="textbooks", year=None)
    db.session.flush()
    flags = outdated.flags([old_textbook, young_textbook, old_atlas, novel, undated, None])
    assert {title_id: (flag.rule.words, flag.age) for title_id, flag in flags.items()} == {
        old_textbook.id: ("textbook", 11), old_atlas.id: ("atlas", 6)}
    assert flags[old_atlas.id].message == (
        "Possibly outdated: published 6 years ago, and books on “atlas” older than 5 years are usually not sent.")


@pytest.mark.usefixtures("ctx")
def test_the_catalogue_records_subjects_count_too():
    """A title keeps one subject; its record in the local catalogue has them all."""
    imports.import_file(SAMPLES_DIR / "openlibrary-editions.txt", actor=None, commit=db.session.flush)
    volunteer = UserFactory(role=Role.VOLUNTEER)
    donation = intake.record_donation(site=SiteFactory(), actor=volunteer, lines=intake.scanned_lines(
        "9780262033848", [], intake.Condition.GOOD))  # Introduction to algorithms, 2009: "…; Textbooks" third
    [lot] = donation.lots
    assert lot.title.subject == "Computer programming"
    flag = outdated.flags([lot.title], today=date(2020, 1, 1)).get(lot.title.id)
    assert flag is not None and (flag.rule.words, flag.age) == ("textbook", 11)
    assert outdated.flags([lot.title], today=date(2019, 1, 1)) == {}


@pytest.mark.usefixtures("ctx")
def test_rules_are_added_and_removed_with_a_clear_refusal_for_nonsense_and_each_change_audited():
    coordinator = UserFactory(role=Role.COORDINATOR)
    rule = outdated.add_rule(words="  Computer  Science ", years=5, actor=coordinator)
    assert rule.words == "computer science"
    with pytest.raises(DomainError, match="There is a rule for “computer science” already"):
        outdated.add_rule(words="computer science", years=3, actor=coordinator)
    with pytest.raises(DomainError, match="from 1 to 100"):
        outdated.add_rule(words="medicine", years=0, actor=coordinator)
    with pytest.raises(DomainError, match="Say which subject"):
        outdated.add_rule(words="  ", years=3, actor=coordinator)
    outdated.remove_rule(rule.id, actor=coordinator)
    db.session.commit()
    assert [r.words for r in outdated.all_rules()] == ["atlas", "textbook"]
    assert [e.action for e in db.session.scalars(sa.select(AuditEvent).where(AuditEvent.subject_type == "OutdatedRule")
                                                 .order_by(AuditEvent.id))] == ["outdated_rule.added", "outdated_rule.removed"]


@pytest.fixture
def flagged_lot(app) -> int:
    with app.app_context():
        title = TitleFactory(title="Old Atlas of Iraq", subject="Atlases", year=THIS_YEAR - 20)
        donation = intake.record_donation(site=SiteFactory(), actor=UserFactory(role=Role.VOLUNTEER),
                                          lines=[intake.LineInput(quantity=3, title=title)])
        db.session.commit()
        return donation.lots[0].id


def test_the_sorting_screen_flags_the_lot_and_offers_outdated_as_the_reason(app, client, auth, flagged_lot):
    auth.login(Role.WAREHOUSE)
    page = client.get(f"/sorting/lots/{flagged_lot}").get_data(as_text=True)
    assert "Possibly outdated: published 20 years ago, and books on “atlas” older than 5 years are usually not sent." in page
    assert re.search(r'<option selected value="outdated">|<option value="outdated" selected>', page)
    queue = client.get("/sorting/").get_data(as_text=True)
    assert queue.count("data-outdated") == 1
    # Its row's quick reject has "outdated" chosen too; no other row's has.
    row = queue[queue.index(f'data-lot="{flagged_lot}"'):]
    row = row[:row.index("</tr>")]
    assert '<option value="outdated" selected>' in row and queue.count('value="outdated" selected') == 1
    # The sorter decides: accepting it anyway is allowed.
    assert auth.post(f"/sorting/lots/{flagged_lot}/accept", {}, page=f"/sorting/lots/{flagged_lot}").status_code == 302
    with app.app_context():
        assert db.session.get(Lot, flagged_lot).status is LotStatus.ACCEPTED


def test_a_lot_no_rule_flags_offers_no_reason_in_advance(app, client, auth, flagged_lot):
    with app.app_context():
        db.session.execute(sa.delete(OutdatedRule))
        db.session.commit()
    auth.login(Role.WAREHOUSE)
    page = client.get(f"/sorting/lots/{flagged_lot}").get_data(as_text=True)
    assert "Possibly outdated" not in page and 'value="outdated" selected' not in page
    assert RejectReason.OUTDATED.value in page  # still a reason to choose


def test_coordinators_keep_the_rules_and_the_warehouse_reads_them(app, client, auth):
    auth.login(Role.WAREHOUSE)
    page = client.get("/titles/outdated").get_data(as_text=True)
    assert re.findall(r'data-rule="([^"]+)"', page) == ["atlas", "textbook"] and "Add a rule" not in page
    auth.logout()
    auth.login(Role.COORDINATOR)
    answer = auth.post("/titles/outdated", {"words": "Medicine", "years": "8"})
    assert answer.status_code == 302
    page = client.get("/titles/outdated").get_data(as_text=True)
    assert "Books on “medicine” older than 8 years are flagged at sorting from now on." in page
    assert re.findall(r'data-rule="([^"]+)"', page) == ["atlas", "medicine", "textbook"]
    refused = auth.post("/titles/outdated", {"words": "medicine", "years": "3"})
    assert refused.status_code == 422 and "There is a rule for “medicine” already" in refused.get_data(as_text=True)
    with app.app_context():
        rule_id = db.session.scalar(sa.select(OutdatedRule.id).where(OutdatedRule.words == "medicine"))
    assert auth.post(f"/titles/outdated/{rule_id}/remove", page="/titles/outdated").status_code == 302
    assert re.findall(r'data-rule="([^"]+)"', client.get("/titles/outdated").get_data(as_text=True)) == ["atlas", "textbook"]
