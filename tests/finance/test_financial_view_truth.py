"""The financial view, recomputed from the raw rows at several dates, equals every surface that shows it:
the page's tables by directorate, portfolio and category, the drill-down's rows and sums, its CSV export
and the monthly PDF's "Finances" section.

The world: the reporting currency (MAD), a project in EUR (rates that change between the dates), one in
USD with no rate (listed, never summed), a confidential one; budgets phased by month and category,
re-phased, deleted and re-forecast over time; actuals imported for some months, weekly statuses' spend
for others (and both in one month: the import wins), a status corrected by a later revision. Every
change happens at its own moment (time_machine), so the view as at a past date must read the history.

The test keeps its own log of what it wrote and when, and recomputes the figures from that log with its
own plain code (the rule in docs/finance.md), never through `finance.selectors`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from finance.models import CostCategory, MonthlyAmount
from pmo.months import FiscalYear, add_months, month_of
from pmo.roles import Role
from pmo.templatetags.pmo_tags import money
from portfolio.models import ExchangeRate, Rag, StatusReport
from portfolio.models.status import period_of
from reporting.models import Report
from reporting.pdf import kinds
from reporting.periods import Frequency, Period
from tests.factories import DirectorateFactory, PortfolioFactory, ProjectFactory, UserFactory
from tests.reporting.test_report_content import text_of
from tests.spreadsheets import read_csv

pytestmark = pytest.mark.django_db

BUDGET, ACTUAL, FORECAST = "budget", "actual", "forecast"
CENT = Decimal("0.01")


@pytest.fixture(autouse=True)
def _no_charts(settings):
    settings.REPORT_CHARTS = False  # the chart's data print as a table: the PDF stays quick


def moment(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class World:
    today: date
    log: list = field(default_factory=list)  # (moment, key, amount or None: deleted)
    statuses: list = field(default_factory=list)  # (moment, project id, period, revision, spend)
    rates: dict = field(default_factory=lambda: defaultdict(list))  # currency: [(valid_from, rate)]
    projects: dict = field(default_factory=dict)  # pk: Project
    categories: dict = field(default_factory=dict)  # code: CostCategory

    def put(self, at: datetime, project, category: str, kind: str, month: date, amount) -> None:
        with time_machine.travel(at, tick=False):
            MonthlyAmount.objects.update_or_create(
                project=project,
                category=self.categories[category],
                kind=kind,
                month=month,
                defaults={"amount": Decimal(amount)},
            )
        self.log.append((at, (project.pk, self.categories[category].pk, kind, month), Decimal(amount)))

    def remove(self, at: datetime, project, category: str, kind: str, month: date) -> None:
        with time_machine.travel(at, tick=False):
            MonthlyAmount.objects.get(
                project=project, category=self.categories[category], kind=kind, month=month
            ).delete()
        self.log.append((at, (project.pk, self.categories[category].pk, kind, month), None))

    def status(self, at: datetime, project, period: date, spend, revision: int = 1) -> None:
        with time_machine.travel(at, tick=False):
            StatusReport.objects.filter(project=project, period=period).update(is_latest=False)
            StatusReport.objects.create(
                project=project,
                period=period,
                revision=revision,
                overall_rag=Rag.GREEN,
                percent_complete=Decimal(10),
                spend_this_period=Decimal(spend),
            )
        self.statuses.append((at, project.pk, period, revision, Decimal(spend)))

    # --- the test's own recomputation -------------------------------------------------------------

    def categories_pks(self) -> list[int]:
        return [category.pk for category in self.categories.values()]

    def rate(self, currency: str, on: date) -> Decimal | None:
        if currency == "MAD":
            return Decimal(1)
        dated = [value for valid_from, value in sorted(self.rates[currency]) if valid_from <= on]
        return dated[-1] if dated else None

    def expected(self, on: date, fy: FiscalYear) -> dict:
        """{project pk: {"own": {category pk: {kind: amount}}, "converted": same or None}} as at `on`."""
        end = moment(on, 23) + timedelta(minutes=59, seconds=59)
        cells: dict = {}
        for at, key, amount in self.log:
            if at <= end:
                if amount is None:
                    cells.pop(key, None)
                else:
                    cells[key] = amount
        in_force: dict = {}
        for at, pk, period, _revision, spend in sorted(self.statuses, key=lambda s: s[3]):
            if at <= end:
                in_force[pk, period] = spend
        last = month_of(on)
        opex = self.categories["OPEX"].pk
        actual: dict = defaultdict(Decimal)
        imported = set()
        for (pk, category, kind, month), amount in cells.items():
            if kind == ACTUAL and fy.start <= month <= fy.end and month <= last:
                actual[pk, category, month] += amount
                imported.add((pk, month))
        for (pk, period), spend in in_force.items():
            day = period + timedelta(days=6)
            if day <= on and fy.start <= month_of(day) <= fy.end and (pk, month_of(day)) not in imported:
                actual[pk, opex, month_of(day)] += spend
        reforecast = {
            pk
            for (pk, _c, kind, month) in cells
            if kind == FORECAST and fy.start <= month <= fy.end and month >= last
        }
        closed_with_actual = {(pk, month) for (pk, _c, month) in actual if month < last}
        result: dict = {}

        def add(pk, category, kind, amount):
            own = result.setdefault(pk, {}).setdefault(category, {BUDGET: 0, ACTUAL: 0, FORECAST: 0})
            own[kind] += amount

        for (pk, category, kind, month), amount in cells.items():
            if not fy.start <= month <= fy.end or self.projects[pk].created_at > end:
                continue
            if kind == BUDGET:
                add(pk, category, BUDGET, amount)
            has_forecast = any((pk, c, FORECAST, month) in cells for c in self.categories_pks())
            plan = FORECAST if has_forecast else BUDGET
            if kind == plan and (pk, month) not in closed_with_actual:
                add(pk, category, FORECAST, amount)
            if kind == ACTUAL:
                result.setdefault(pk, {})
        for (pk, category, month), amount in actual.items():
            if self.projects[pk].created_at > end:
                continue
            add(pk, category, ACTUAL, amount)
            if (pk, month) in closed_with_actual:
                add(pk, category, FORECAST, amount)
        view = {}
        for pk, own in result.items():
            rate = self.rate(self.projects[pk].currency, on)
            converted = None
            if rate is not None:
                converted = {
                    category: {
                        kind: (value * rate).quantize(CENT, ROUND_HALF_UP) for kind, value in a.items()
                    }
                    for category, a in own.items()
                }
            view[pk] = {"own": own, "converted": converted, "reforecast": pk in reforecast}
        return view

    def lines(self, view: dict, key) -> dict:
        """{line key: {kind: converted amount, "projects": count}} over the converted projects."""
        lines: dict = {}
        for pk, item in view.items():
            if item["converted"] is None:
                continue
            for category, amounts in item["converted"].items():
                k = key(self.projects[pk], category)
                line = lines.setdefault(k, {BUDGET: 0, ACTUAL: 0, FORECAST: 0, "projects": set()})
                for kind in (BUDGET, ACTUAL, FORECAST):
                    line[kind] += amounts[kind]
                line["projects"].add(pk)
        return lines


def build(today: date) -> tuple[World, dict]:
    world = World(today=today)
    world.categories = {category.code: category for category in CostCategory.objects.all()}
    north = DirectorateFactory(code="DNO", name="Direction Nord")
    south = DirectorateFactory(code="DSU", name="Direction Sud")
    core = PortfolioFactory(code="PCO", name="Portefeuille Coeur", directorate=north)
    edge = PortfolioFactory(code="PED", name="Portefeuille Bord", directorate=south)
    t0, t1, t2, t3 = (moment(today - timedelta(days=days)) for days in (400, 150, 75, 30))
    with time_machine.travel(t0, tick=False):
        mad = ProjectFactory(code="FIN-MAD", name="Projet dirham", directorate=north, portfolio=core)
        eur = ProjectFactory(
            code="FIN-EUR", name="Projet euro", currency="EUR", directorate=south, portfolio=core
        )
        usd = ProjectFactory(
            code="FIN-USD", name="Projet dollar", currency="USD", directorate=south, portfolio=edge
        )
        secret = ProjectFactory(
            code="FIN-SEC", name="Projet secret", confidential=True, directorate=north, portfolio=edge
        )
    with time_machine.travel(t2, tick=False):  # a project that did not exist at the first dates
        late = ProjectFactory(code="FIN-NEW", name="Projet tardif", directorate=north, portfolio=edge)
    for project in (mad, eur, usd, secret, late):
        project.refresh_from_db()
        world.projects[project.pk] = project
    ExchangeRate.objects.create(currency="EUR", valid_from=t0.date(), rate=Decimal("10.8537"))
    ExchangeRate.objects.create(currency="EUR", valid_from=t2.date(), rate=Decimal("11.0213"))
    world.rates["EUR"] = [(t0.date(), Decimal("10.8537")), (t2.date(), Decimal("11.0213"))]

    months = [add_months(month_of(today), n) for n in range(-16, 13)]
    for index, month in enumerate(months):
        for project, base in ((mad, 1000), (eur, 300), (usd, 200), (secret, 700)):
            world.put(t0, project, "CAPEX", BUDGET, month, Decimal(base * 10 + 37 * index) + Decimal("0.45"))
            world.put(t0, project, "OPEX", BUDGET, month, Decimal(base * 3 + 11 * index))
    # t1: re-phasing (the past dates before it saw the old amounts) and a first forecast.
    for month in months[8:20]:
        world.put(t1, mad, "CAPEX", BUDGET, month, Decimal(12345) + month.month)
        world.put(t1, mad, "OPEX", FORECAST, month, Decimal(4000) + 3 * month.month)
        world.put(t1, mad, "CAPEX", FORECAST, month, Decimal(9000))
    # t2: a budget month deleted, the late project's phasing, imported actuals.
    world.remove(t2, eur, "CAPEX", BUDGET, months[14])
    for month in months[10:22]:
        world.put(t2, late, "OPEX", BUDGET, month, Decimal(2500))
    for month in months[:14]:
        world.put(t2, mad, "CAPEX", ACTUAL, month, Decimal(11000) + month.month)
        world.put(t2, mad, "OPEX", ACTUAL, month, Decimal(3100))
        world.put(t2, usd, "OPEX", ACTUAL, month, Decimal(1900))
    # Weekly statuses' spend: the euro project's every other week, the secret one's some weeks.
    weeks = [period_of(today) - timedelta(weeks=n) for n in range(60, 0, -1)]
    for number, week in enumerate(weeks):
        submitted = moment(week + timedelta(days=7), 9)
        if submitted.date() >= today:
            continue
        if number % 2 == 0:
            world.status(submitted, eur, week, Decimal(950) + number)
        if number % 5 == 0:
            world.status(submitted, secret, week, Decimal(2200))
    # t3: a re-forecast, an import in a month the statuses also spoke for (the import wins), a correction.
    for month in months[15:24]:
        world.put(t3, secret, "OPEX", FORECAST, month, Decimal(5100))
        world.put(t3, mad, "OPEX", FORECAST, month, Decimal(4999))
    world.put(t3, secret, "OPEX", ACTUAL, month_of(today - timedelta(days=60)), Decimal(7777))
    corrected = weeks[-10]
    world.status(moment(today - timedelta(days=5), 9), eur, corrected, Decimal(123), revision=2)
    # Today: the budget changes again (the past dates must not see it).
    world.put(timezone.now() - timedelta(minutes=1), usd, "CAPEX", BUDGET, months[16], Decimal(99999))
    world.put(timezone.now() - timedelta(minutes=1), mad, "OPEX", BUDGET, months[17], Decimal(88888))
    return world, {"mad": mad, "eur": eur, "usd": usd, "secret": secret, "late": late}


ROW = re.compile(r'<tr[^>]*data-(?:key|project)="([^"]*)"[^>]*>(.*?)</tr>', re.S)
CELL = re.compile(r'data-kind="(\w+)" data-value="([-\d.]+)"')


def table(html: str, table_id: str) -> dict:
    """{row key: {kind: Decimal}} of the page's table `table_id`."""
    body = html[html.index(f'id="{table_id}"') :]
    body = body[: body.index("</table>")]
    return {
        key: {kind: Decimal(value) for kind, value in CELL.findall(cells)} for key, cells in ROW.findall(body)
    }


def dates_of(today: date) -> list[date]:
    last_month_end = month_of(today) - timedelta(days=1)
    return [today, today - timedelta(days=100), today - timedelta(days=50), last_month_end]


def test_every_surface_shows_the_financial_view_recomputed_from_the_raw_rows(client, tmp_path):
    today = timezone.localdate()
    world, projects = build(today)
    pmo = UserFactory(username="fin-pmo", roles=[Role.PMO])
    client.force_login(pmo)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    opex = world.categories["OPEX"].pk
    for on in dates_of(today):
        fy = FiscalYear.of(on)
        expected = world.expected(on, fy)
        params = {} if on == today else {"as_at": on.isoformat()}
        with translation.override("en"):
            page = client.get(reverse("finance:view"), params)
        assert page.status_code == 200
        html = page.content.decode()
        converted = {pk: item for pk, item in expected.items() if item["converted"] is not None}
        kinds_ = (BUDGET, ACTUAL, FORECAST)
        total = {
            kind: sum(
                (sum(a[kind] for a in item["converted"].values()) for item in converted.values()), Decimal(0)
            )
            for kind in kinds_
        }
        assert any(total.values()), f"the world holds money in {fy}"
        # The API answers the same totals and projects at the same date.
        answer = client.get("/api/finance/view/", {"fiscal_year": fy.year, "as_at": on.isoformat()})
        assert answer.status_code == 200, answer.content[:200]
        body = answer.json()
        assert {kind: Decimal(body["total"][kind]) for kind in kinds_} == total, on
        assert len(body["projects"]) == len(expected), on

        for table_id, key in (
            ("by-directorate", lambda project, category: str(project.directorate_id)),
            ("by-portfolio", lambda project, category: str(project.portfolio_id)),
            ("by-category", lambda project, category: str(category)),
        ):
            shown = table(html, table_id)
            lines = world.lines(expected, key)
            for line_key, line in lines.items():
                assert {k: shown[line_key][k] for k in kinds_} == {k: line[k] for k in kinds_}, (on, table_id)
                assert shown[line_key]["variance"] == line[FORECAST] - line[BUDGET]
            assert {k: shown["total"][k] for k in kinds_} == total, (on, table_id)
            assert set(shown) - {"total"} >= set(lines)
            assert all(not any(shown[k].values()) for k in set(shown) - {"total"} - set(lines))
        # Not converted: listed with its code, never summed; the count of projects beside it.
        not_converted = [
            world.projects[pk].code for pk, item in expected.items() if item["converted"] is None
        ]
        assert not_converted == (["FIN-USD"] if projects["usd"].pk in expected else [])
        for code in not_converted:
            assert code in html[html.index('id="not-converted"') :]
        assert f'<span class="list-count-number">{len(expected)}</span>' in html
        not_reforecast = sum(1 for item in expected.values() if not item["reforecast"])
        assert f"{not_reforecast} project" in html[html.index('id="not-reforecast"') :][:200]
        rate_dates = sorted({d for d, _v in world.rates["EUR"] if d <= on})[-1:]
        if projects["eur"].pk in expected:
            with translation.override("en"):  # the page's language writes the date, never 2026-12-01
                assert f"exchange rates of {date_format(rate_dates[0], 'SHORT_DATE_FORMAT')}" in html

        # The drill-down: one row per project, the converted sums equal the page's totals.
        listed = client.get(reverse("finance:projects"), params)
        rows = table(listed.content.decode(), "finance-projects")
        assert set(rows) == {world.projects[pk].code for pk in expected}
        for kind in kinds_:
            assert sum((row[kind] for row in rows.values() if row), Decimal(0)) == total[kind]
        for pk, item in converted.items():
            row = rows[world.projects[pk].code]
            for kind in kinds_:
                assert row[kind] == sum(a[kind] for a in item["converted"].values())

        # The CSV export: the same rows, amounts in their currency and converted.
        sheet = read_csv(client.get(reverse("finance:projects"), {**params, "export": "csv"}))
        records = {record["Project code"]: record for record in sheet.records()}
        assert set(records) == set(rows)
        for pk, item in expected.items():
            record = records[world.projects[pk].code]
            assert Decimal(record["Budget"]) == sum(a[BUDGET] for a in item["own"].values())
            assert Decimal(record["Actual"]) == sum(a[ACTUAL] for a in item["own"].values())
            if item["converted"] is None:
                assert record["Forecast (MAD)"] == ""
            else:
                assert Decimal(record["Forecast (MAD)"]) == sum(
                    a[FORECAST] for a in item["converted"].values()
                )
        for kind, column in (
            (BUDGET, "Budget (MAD)"),
            (ACTUAL, "Actual (MAD)"),
            (FORECAST, "Forecast (MAD)"),
        ):
            assert sum((Decimal(value) for value in sheet.column(column) if value), Decimal(0)) == total[kind]
        assert opex in {category for item in expected.values() for category in item["own"]}

        # The monthly PDF as at a month end (the report reads the month's last day).
        if on == month_of(today) - timedelta(days=1):
            report = Report.objects.create(
                kind=Report.Kind.MONTHLY, language="en", period=Period.containing(Frequency.MONTHLY, on).start
            )
            text = text_of(kinds.build(report).pdf, tmp_path)
            section = text[text.index("Finances Fiscal year") :]
            with translation.override("en"):
                for label, key in (("Direction Nord", "north"), ("Direction Sud", "south")):
                    directorate = {"north": "DNO", "south": "DSU"}[key]
                    lines = world.lines(expected, lambda project, category: project.directorate.code)
                    line = lines.get(directorate)
                    if line is None:
                        continue
                    figures = " ".join(
                        money(value)
                        for value in (
                            line[BUDGET],
                            line[ACTUAL],
                            line[FORECAST],
                            line[FORECAST] - line[BUDGET],
                        )
                    )
                    assert f"{directorate} {label} {len(line['projects'])} {figures}" in section
                figures = " ".join(
                    money(value)
                    for value in (
                        total[BUDGET],
                        total[ACTUAL],
                        total[FORECAST],
                        total[FORECAST] - total[BUDGET],
                    )
                )
                assert f"Total {len(converted)} {figures}" in section
                assert "FIN-USD (USD)" in section


def test_a_reader_without_the_confidential_project_gets_no_amount_of_it():
    today = timezone.localdate()
    world, projects = build(today)
    outsider = UserFactory(username="fin-pm", roles=[Role.PROJECT_MANAGER])
    from finance.selectors import financial_view

    view = financial_view(user=outsider, fiscal_year=FiscalYear.of(today), on=today)
    assert projects["secret"].pk not in {project.pk for project in view.projects}
    everyone = financial_view(
        user=projects["secret"].project_manager, fiscal_year=FiscalYear.of(today), on=today
    )
    assert projects["secret"].pk in {project.pk for project in everyone.projects}
    expected = world.expected(today, FiscalYear.of(today))
    visible = {pk: item for pk, item in expected.items() if pk != projects["secret"].pk}
    budget = sum(
        (
            sum(a[BUDGET] for a in item["converted"].values())
            for item in visible.values()
            if item["converted"]
        ),
        Decimal(0),
    )
    assert view.total.budget == budget


def test_the_finances_page_and_its_list_answer_in_french(client):
    today = timezone.localdate()
    build(today)
    client.force_login(UserFactory(username="fin-exec", roles=[Role.EXECUTIVE]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(reverse("finance:view"))
    assert page.status_code == 200
    assert "Par direction" in page.content.decode()
    listed = client.get(reverse("finance:projects") + "?" + urlencode({"export": "xlsx"}))
    assert listed.status_code == 200
