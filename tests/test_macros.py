"""The page parts every template shares (templates/macros.html) and their look (static/css/app.css)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import render_template_string

from books2iraq.auth.roles import Role
from books2iraq.crating.models import CrateStatus
from books2iraq.extensions import db
from books2iraq.intake.models import LotStatus
from books2iraq.labels import TONES
from books2iraq.shipping.models import ShipmentStatus
from tests.factories import sealed_crate, shipment_of

PACKAGE = Path(__file__).resolve().parents[1] / "books2iraq"
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: _Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[_Node] = []
        self.text = ""

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.open = _Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, dict(attrs), self.open)
        self.open.children.append(node)
        if tag not in VOID_ELEMENTS:
            self.open = node

    def handle_endtag(self, tag):
        node = self.open
        while node.parent is not None and node.tag != tag:
            node = node.parent
        if node.parent is not None:
            self.open = node.parent

    def handle_data(self, data):
        self.open.text += data


def tree(html: str) -> _Node:
    parser = _Tree()
    parser.feed(html)
    return parser.root


def cells_of_two_column_grids(html: str) -> list[dict[str, list[str]]]:
    """For each direct child of each `grid2` box: {input name: the error texts inside that child}."""
    cells = []
    for grid in (n for n in tree(html).walk() if "grid2" in n.classes):
        for cell in grid.children:
            names = [n.attrs.get("name") for n in cell.walk() if n.tag in {"input", "select", "textarea"}]
            errors = [n.text.strip() for n in cell.walk() if "field-error" in n.classes]
            cells.append({name: errors for name in names if name})
    return cells


def test_each_field_error_sits_under_its_own_field_in_a_two_column_form(app, client, auth, users):
    with app.app_context():
        shipment = shipment_of(sealed_crate(2))
        db.session.commit()
        page = f"/shipping/{shipment.ref}"
    auth.login(Role.COORDINATOR)
    refused = auth.post(f"{page}/transport", {"carrier": "c" * 201, "vessel": "MSC Aurora", "seal_no": "s" * 41}, page=page)
    assert refused.status_code == 400
    cells = cells_of_two_column_grids(refused.get_data(as_text=True))
    by_field = {name: errors for cell in cells for name, errors in cell.items()}
    # One field to a grid cell, and each error in the cell of its own field.
    assert all(len(cell) <= 1 for cell in cells if set(cell) & {"carrier", "vessel", "seal_no", "mode"})
    assert by_field["carrier"] == ["Field cannot be longer than 200 characters."]
    assert by_field["seal_no"] == ["Field cannot be longer than 40 characters."]
    assert by_field["vessel"] == [] and by_field["mode"] == [] and by_field["voyage"] == []
    assert 'aria-describedby="carrier-error"' in refused.get_data(as_text=True)


# What each status means to the person reading it: the colour of its badge.
EXPECTED_TONES = {
    LotStatus.RECEIVED: "neutral", LotStatus.ACCEPTED: "done", LotStatus.PACKED: "done",
    LotStatus.REJECTED: "stopped", LotStatus.VOID: "stopped",
    CrateStatus.OPEN: "neutral", CrateStatus.SEALED: "done",
    ShipmentStatus.PLANNED: "neutral", ShipmentStatus.PACKING: "neutral", ShipmentStatus.READY: "moving",
    ShipmentStatus.DISPATCHED: "moving", ShipmentStatus.IN_TRANSIT: "moving", ShipmentStatus.AT_CUSTOMS: "held",
    ShipmentStatus.CLEARED: "moving", ShipmentStatus.DELIVERED: "done", ShipmentStatus.CANCELLED: "stopped",
}


def test_every_status_has_the_tone_of_its_meaning():
    assert TONES == EXPECTED_TONES
    assert set(TONES) == {*LotStatus, *CrateStatus, *ShipmentStatus}


@pytest.mark.parametrize(
    ("status", "html"),
    [
        (ShipmentStatus.AT_CUSTOMS, '<span class="badge badge-held" data-status="at_customs">at customs</span>'),
        (ShipmentStatus.CANCELLED, '<span class="badge badge-stopped" data-status="cancelled">cancelled</span>'),
        (CrateStatus.SEALED, '<span class="badge badge-done" data-status="sealed">sealed</span>'),
        (LotStatus.RECEIVED, '<span class="badge badge-neutral" data-status="received">received</span>'),
    ],
)
def test_the_badge_macro_colours_a_status_by_its_meaning(app, status, html):
    with app.test_request_context():
        assert render_template_string('{% from "macros.html" import badge %}{{ badge(status) }}', status=status) == html


def test_a_users_badge_is_green_when_active_and_red_when_deactivated(app):
    with app.test_request_context():
        template = '{% from "macros.html" import status %}{{ status(active) }}'
        assert '<span class="badge badge-done">Active</span>' in render_template_string(template, active=True)
        assert 'class="badge badge-stopped badge-off">Deactivated</span>' in render_template_string(template, active=False)


def test_status_badges_are_printed_by_the_one_macro():
    by_hand = re.compile(r'<span class="badge[^"]*"[^>]*>\s*{{[^}]*status')
    offenders = {
        str(path.relative_to(PACKAGE / "templates"))
        for path in (PACKAGE / "templates").rglob("*.html")
        if path.name != "macros.html" and by_hand.search(path.read_text(encoding="utf-8"))
    }
    assert offenders == set()


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_badge_colours_are_readable_wcag_aa():
    css = (PACKAGE / "static" / "css" / "app.css").read_text(encoding="utf-8")
    rules = dict(re.findall(r"\.badge-(\w+) \{ ([^}]*) \}", css))
    assert {"neutral", "moving", "held", "done", "stopped", "off"} <= set(rules)
    for tone in ("neutral", "moving", "held", "done", "stopped", "off"):
        background = re.search(r"background: (#[0-9a-f]{6})", rules[tone]).group(1)
        colour = re.search(r"(?<![-\w])color: (#[0-9a-f]{6})", rules[tone]).group(1)
        assert contrast(colour, background) >= 4.5, tone


def test_the_shipment_board_says_it_scrolls_and_can_be_scrolled_by_keyboard(app, client, auth, users):
    with app.app_context():
        shipment_of(sealed_crate(2))
        db.session.commit()
    auth.login(Role.COORDINATOR)
    html = client.get("/reports/").get_data(as_text=True)
    assert "scroll sideways for more →" in html
    board = next(n for n in tree(html).walk() if "board" in n.classes)
    assert board.attrs.get("tabindex") == "0" and board.attrs.get("role") == "region"
    columns = [(c.attrs["data-status"], "board-empty" in c.classes) for c in board.children if c.tag == "section"]
    assert columns[:2] == [("planned", False), ("packing", True)]
    assert len(columns) == len(ShipmentStatus)


def test_a_long_lists_row_addresses_are_the_routes_own(app):
    """row_url builds an address once for 200 rows: each row's is what url_for gives it."""
    with app.test_request_context():
        html = render_template_string(
            "{% set accept = row_url('sorting.accept_lot', 'lot_id') %}{{ accept(7) }} {{ accept(12345) }} "
            "{{ row_url('sorting.show_lot', 'lot_id')(987654321) }}"
        )
    assert html == "/sorting/lots/7/accept /sorting/lots/12345/accept /sorting/lots/987654321"
