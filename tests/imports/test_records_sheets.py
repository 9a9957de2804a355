"""Recipients and sites imported from a spreadsheet: each row checked as their forms check one, previewed,
and the right ones added in one step, each audited; each kind for its own role."""
from __future__ import annotations

import io
import re

import openpyxl
import pytest
import sqlalchemy as sa

from books2iraq.audit import AuditEvent
from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from books2iraq.imports.models import SheetImport
from books2iraq.shipping.models import Governorate, Recipient, RecipientKind
from books2iraq.sites.models import Site, SiteKind
from tests.factories import RecipientFactory, SiteFactory

RECIPIENTS_CSV = """Name (English),Name (Arabic),Kind,Address (English),City,Governorate,Contact e-mail,Tax number
University of Kufa,جامعة الكوفة,university,"Kufa Street, Najaf",Najaf,Najaf,library@uokufa.edu.iq,
Erbil Public Library,مكتبة أربيل العامة,مكتبة,"60m Road, Erbil",Erbil,أربيل,,TX-44
Basra Girls' School,مدرسة البصرة للبنات,School,"Corniche, Basra",Basra,basra,,
University of Mosul,جامعة الموصل,university,"Al-Majmoaa, Mosul",Mosul,Nineveh,,
Erbil Public Library,مكتبة أربيل,library,"Erbil",Erbil,Erbil,,
Zakho School,مدرسة زاخو,school,"Zakho",Zakho,Kurdistan,,
Kirkuk Library,مكتبة كركوك,library,"Kirkuk",Kirkuk,Kirkuk,not an address,
Halabja School,,school,"Halabja",Halabja,Halabja,,
Amara Library,مكتبة العمارة,museum,"Amara",Amara,Maysan,,
"""
# Rows 5 to 10 are wrong; what each is wrong about, as the preview says it.
RECIPIENT_PROBLEMS = {
    5: "A recipient called “University of Mosul” already exists.",
    6: "The same name as row 3.",
    7: "“Kurdistan” is not a governorate of Iraq.",
    8: "“not an address” is not an e-mail address.",
    9: "Empty: Name (Arabic).",
    10: "“museum” is not a kind of recipient: university, school, library or other.",
}


def send(auth, kind: str, content: bytes, name: str):
    return auth.post(f"/imports/{kind}", {"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def problems_shown(html: str) -> dict[int, str]:
    rows = re.findall(r'<tr class="row-problem" data-problem>\s*<td[^>]*>(\d+)</td>.*?<span class="field-error">([^<]*)</span>', html, re.S)
    return {int(n): problem.replace("&#34;", '"').replace("&#39;", "'") for n, problem in rows}


def test_a_list_of_recipients_is_previewed_and_its_right_rows_added(app, client, auth):
    with app.app_context():
        RecipientFactory(name_en="University of Mosul")
        db.session.commit()
        before = set(db.session.scalars(sa.select(Recipient.id)))  # and the recipient user's institution
    auth.login(Role.COORDINATOR)
    sent = send(auth, "recipients", RECIPIENTS_CSV.encode(), "ministry list.csv")
    assert sent.status_code == 302
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "3 rows are right." in page and 'data-bad="6"' in page
    assert problems_shown(page) == RECIPIENT_PROBLEMS

    done = auth.post(sent.headers["Location"], {"leave_out": "y"})
    assert done.status_code == 302 and done.headers["Location"] == "/shipping/recipients"
    assert "3 recipients added from ministry list.csv." in client.get("/shipping/recipients").get_data(as_text=True)
    with app.app_context():
        added = {r.name_en: r for r in db.session.scalars(sa.select(Recipient).where(Recipient.id.not_in(before)))}
        assert sorted(added) == ["Basra Girls' School", "Erbil Public Library", "University of Kufa"]
        kufa, erbil, basra = added["University of Kufa"], added["Erbil Public Library"], added["Basra Girls' School"]
        assert (kufa.name_ar, kufa.kind, kufa.governorate, kufa.address_en, kufa.contact_email) == (
            "جامعة الكوفة", RecipientKind.UNIVERSITY, Governorate.NAJAF, "Kufa Street, Najaf", "library@uokufa.edu.iq")
        assert (erbil.kind, erbil.governorate, erbil.tax_number) == (RecipientKind.LIBRARY, Governorate.ERBIL, "TX-44")
        assert (basra.kind, basra.governorate) == (RecipientKind.SCHOOL, Governorate.BASRA)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "recipient.created")) == 3
        upload = db.session.scalar(sa.select(SheetImport))
        assert (upload.imported_rows, upload.left_out, upload.result_ref) == (3, [5, 6, 7, 8, 9, 10], "3")


def test_sites_from_an_xlsx_sheet_in_arabic(app, client, auth):
    with app.app_context():
        SiteFactory(name="Leeds Central Library")
        db.session.commit()
    auth.login(Role.ADMIN)
    template = client.get("/imports/sites/template.xlsx", headers={"Accept-Language": "ar"})
    header = [cell.value for cell in openpyxl.load_workbook(io.BytesIO(template.data)).worksheets[0][1]]
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in (["مكتبة الكرخ", "نقطة استلام", "بغداد", "شارع حيفا"], ["Bradford warehouse", "مستودع", "Bradford", None],
                ["Leeds Central Library", "drop off", "Leeds", None], ["Hull school", "lorry", "Hull", None],
                ["Sheffield hall", None, "Sheffield", None]):
        book.active.append(row)
    content = io.BytesIO()
    book.save(content)
    sent = send(auth, "sites", content.getvalue(), "sites.xlsx")
    assert sent.status_code == 302
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert problems_shown(page) == {4: "A site called “Leeds Central Library” already exists.",
                                    5: "“lorry” is not a kind of site: a drop-off point or a warehouse."}
    refused = auth.post(sent.headers["Location"], {})
    assert refused.status_code == 422
    done = auth.post(sent.headers["Location"], {"leave_out": "y"})
    assert done.status_code == 302 and done.headers["Location"] == "/admin/sites"
    with app.app_context():
        sites = {s.name: (s.kind, s.city, s.address) for s in db.session.scalars(sa.select(Site))}
        assert sites["مكتبة الكرخ"] == (SiteKind.DROP_OFF, "بغداد", "شارع حيفا")
        assert sites["Bradford warehouse"] == (SiteKind.WAREHOUSE, "Bradford", None)
        assert sites["Sheffield hall"] == (SiteKind.DROP_OFF, "Sheffield", None)  # no kind: a drop-off point
        assert "Hull school" not in sites


@pytest.mark.parametrize(("role", "kind", "allowed"), [
    (Role.VOLUNTEER, "donation", True), (Role.WAREHOUSE, "recipients", False), (Role.COORDINATOR, "recipients", True),
    (Role.COORDINATOR, "sites", False), (Role.ADMIN, "sites", True),
])
def test_each_kind_of_import_is_for_its_role(app, client, auth, role, kind, allowed):
    auth.login(role)
    assert client.get(f"/imports/{kind}").status_code == (200 if allowed else 403)
    assert client.get(f"/imports/{kind}/template.csv").status_code == (200 if allowed else 403)


def test_an_upload_of_a_kind_whose_role_a_person_lost_is_refused(app, client, auth, users):
    """A coordinator sent a list of recipients, and is a warehouse person now: its page is refused."""
    from books2iraq.auth.models import User

    auth.login(Role.COORDINATOR)
    url = send(auth, "recipients", RECIPIENTS_CSV.encode(), "list.csv").headers["Location"]
    with app.app_context():
        db.session.scalar(sa.select(User).where(User.email == users[Role.COORDINATOR])).role = Role.WAREHOUSE
        db.session.commit()
    assert client.get(url).status_code == 403
