"""The PMO's executive pack: opening a draft, saving it (409 on a stale form), previewing it as the PDF,
publishing numbered versions that build the reports in each language and email them once to the
subscribers, and the scheduled run that waits for the PMO."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from portfolio.models import Rag
from reporting import reports as services
from reporting.models import ExecutivePack, PackPolicy, PackPublication, Report, ReportSubscription
from reporting.packs import last_complete, pack_exceptions, pack_open, pack_publish, pack_save
from reporting.periods import Period
from reporting.report_forms import period_value
from reporting.tasks import scheduled_report
from tests.reporting.builders import build_portfolio

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_MONTH = last_complete(Report.Kind.MONTHLY, TODAY)
MESSAGE = "Le programme Paie glisse de deux mois"
SECOND = "Budget 2027 to be confirmed"


@pytest.fixture(autouse=True)
def _media_and_fast_reports(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.REPORT_CHARTS = False
    settings.SITE_URL = "https://pmo.example.test"


@pytest.fixture
def red_project(world):
    """Three projects whose first is red every week: the exceptional project of the month."""
    projects = build_portfolio(
        count=3,
        weeks=10,
        today=TODAY,
        directorate=world.it,
        rag=lambda index, week: Rag.RED if index == 0 else Rag.GREEN,
        prefix="EXP",
    )
    return projects[0]


@pytest.fixture
def pack(world):
    return pack_open(kind=Report.Kind.MONTHLY, period=LAST_MONTH, user=world.pmo)[0]


def pdf_text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)


def editor_data(
    pack: ExecutivePack,
    *,
    messages: list[str] = (),
    decisions: list[tuple[str, str]] = (),
    sections: dict[str, str] | None = None,
    projects: dict[str, str] | None = None,
    revision: int | None = None,
    orders: list[int] | None = None,
    delete: tuple[int, ...] = (),
) -> dict:
    """The editor's POST: the rows as typed (no initial rows: each save sends the whole list)."""
    data = {
        "revision": pack.revision if revision is None else revision,
        "messages-TOTAL_FORMS": len(messages),
        "messages-INITIAL_FORMS": 0,
        "decisions-TOTAL_FORMS": len(decisions),
        "decisions-INITIAL_FORMS": 0,
    }
    for n, text in enumerate(messages):
        data[f"messages-{n}-text"] = text
        data[f"messages-{n}-ORDER"] = orders[n] if orders else n + 1
        if n in delete:
            data[f"messages-{n}-DELETE"] = "on"
    for n, (title, detail) in enumerate(decisions):
        data.update(
            {f"decisions-{n}-title": title, f"decisions-{n}-detail": detail, f"decisions-{n}-ORDER": n + 1}
        )
    data.update({f"section_{code}": text for code, text in (sections or {}).items()})
    data.update({f"project_{code}": text for code, text in (projects or {}).items()})
    return data


# --- Opening, saving -----------------------------------------------------------------------------------


def test_the_form_opens_last_months_pack_once(client, world):
    client.force_login(world.pmo)
    url = reverse("reporting:packs")
    page = client.get(url)
    assert page.context["form"]["period"].value() == period_value(LAST_MONTH)

    first = client.post(url, {"kind": "monthly", "period": period_value(LAST_MONTH)})
    again = client.post(url, {"kind": "monthly", "period": period_value(LAST_MONTH)})

    pack = ExecutivePack.objects.get()
    assert (pack.kind, pack.period, pack.state) == ("monthly", LAST_MONTH.start, ExecutivePack.State.DRAFT)
    assert first["Location"] == again["Location"] == reverse("reporting:pack_edit", args=[pack.pk])
    listed = client.get(url).content.decode()
    assert LAST_MONTH.label in listed and "Not published yet" in listed


def test_the_open_button_says_open_a_pack_in_french_not_the_open_state(client, world):
    """ "Open" is a verb on this button: French reads "Ouvrir", not the state "Ouvertes" of the actions."""
    client.force_login(world.pmo)
    page = client.get(reverse("reporting:packs"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "</i> Ouvrir</button>" in page and "Ouvertes" not in page


def test_a_future_period_is_refused_with_a_message(client, world):
    client.force_login(world.pmo)
    future = Period.containing("monthly", TODAY).next()
    response = client.post(reverse("reporting:packs"), {"kind": "monthly", "period": period_value(future)})
    assert response.status_code == 400
    assert "has not started yet" in response.content.decode()
    assert not ExecutivePack.objects.exists()


def test_the_editor_saves_messages_in_their_order_and_drops_removed_and_empty_rows(
    client, world, pack, red_project
):
    client.force_login(world.pmo)
    url = reverse("reporting:pack_edit", args=[pack.pk])
    assert red_project.code in client.get(url).content.decode()  # offered for a comment

    client.post(
        url,
        editor_data(
            pack,
            messages=["Premier", "Second", "", "Retiré"],
            orders=[2, 1, 3, 4],
            delete=(3,),
            decisions=[("Arbitrer le budget", "Deux options"), ("", "")],
            sections={"risks": "Deux risques critiques"},
            projects={red_project.code: "Plan de redressement en cours"},
        ),
    )

    pack.refresh_from_db()
    assert pack.key_messages == ["Second", "Premier"]
    assert pack.decisions_expected == [{"title": "Arbitrer le budget", "detail": "Deux options"}]
    assert pack.section_comments == {"risks": "Deux risques critiques"}
    assert pack.project_comments == {red_project.code: "Plan de redressement en cours"}
    assert pack.revision == 2
    page = client.get(url).content.decode()
    assert "Deux risques critiques" in page and "Plan de redressement en cours" in page


def test_a_detail_without_a_title_is_refused_and_nothing_typed_is_lost(client, world, pack):
    client.force_login(world.pmo)
    response = client.post(
        reverse("reporting:pack_edit", args=[pack.pk]),
        editor_data(pack, messages=[MESSAGE], decisions=[("", "Sans titre")]),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the decision a title" in page and MESSAGE in page and "Sans titre" in page
    pack.refresh_from_db()
    assert pack.key_messages == [] and pack.revision == 1


def test_a_stale_save_answers_409_with_both_versions_and_saving_again_replaces_theirs(client, world, pack):
    client.force_login(world.pmo)
    url = reverse("reporting:pack_edit", args=[pack.pk])
    pack_save(
        pack,
        content={"key_messages": ["Leur version"], "section_comments": {"risks": "Leur commentaire"}},
        revision=1,
        user=world.admin,
    )

    response = client.post(url, editor_data(pack, messages=["Ma version"], revision=1))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone saved this pack meanwhile" in page
    assert "Leur version" in page and "Ma version" in page
    assert "<dt>Top risks and heatmap</dt><dd>Leur commentaire</dd>" in page
    pack.refresh_from_db()
    assert pack.key_messages == ["Leur version"]
    # The page now carries the current revision: saving again is a knowing replacement.
    again = client.post(
        url,
        editor_data(
            pack, messages=["Ma version"], revision=response.context["editor"].comments["revision"].value()
        ),
    )
    assert again.status_code == 302
    pack.refresh_from_db()
    assert pack.key_messages == ["Ma version"]


# --- Publishing -----------------------------------------------------------------------------------------


def subscribe(world) -> None:
    """The executive reads French, the administrator English; both asked for the monthly report."""
    world.executive.language = "fr"
    world.executive.save(update_fields=["language"])
    ReportSubscription.objects.create(user=world.executive, kind="monthly", language="fr")
    ReportSubscription.objects.create(user=world.admin, kind="monthly", language="en")


def publish(client, pack: ExecutivePack, capture) -> None:
    """The editor's Publish (saving nothing new), then the confirmation; the reports built as a worker
    would, once the publication commits."""
    url = reverse("reporting:pack_publish", args=[pack.pk])
    pack.refresh_from_db()
    typed = editor_data(
        pack,
        messages=pack.key_messages,
        decisions=[(row["title"], row["detail"]) for row in pack.decisions_expected],
        sections=pack.section_comments,
        projects=pack.project_comments,
    )
    confirm = client.post(url, typed)
    assert confirm.status_code == 200
    with capture(execute=True):
        client.post(url, {"confirm": "1", "revision": confirm.context["pack"].revision})


def test_publishing_builds_each_language_from_version_1_and_emails_each_subscriber_once(
    client, world, pack, red_project, django_capture_on_commit_callbacks
):
    subscribe(world)
    client.force_login(world.pmo)
    pack_save(
        pack,
        content={
            "key_messages": [MESSAGE],
            "decisions_expected": [{"title": "Valider le report du lot 2", "detail": ""}],
            "section_comments": {"finances": "Dépenses conformes"},
            "project_comments": {red_project.code: "Redressement engagé"},
        },
        revision=1,
        user=world.pmo,
    )

    publish(client, pack, django_capture_on_commit_callbacks)

    pack.refresh_from_db()
    publication = PackPublication.objects.get()
    assert (publication.number, pack.state) == (1, ExecutivePack.State.PUBLISHED)
    assert publication.content == pack.content()
    reports = {report.language: report for report in Report.objects.filter(kind="monthly")}
    assert set(reports) == {"fr", "en"}
    assert all(r.publication == publication and r.state == Report.State.DONE for r in reports.values())
    # Each subscriber once, with the link to the report in their language.
    links = {message.to[0]: message.body for message in mail.outbox}
    assert len(mail.outbox) == 2
    assert reports["fr"].download_url() in links[world.executive.email]
    assert reports["en"].download_url() in links[world.admin.email]
    for language, heading, decisions in (
        ("fr", "Messages clés", "Décisions attendues du comité"),
        ("en", "Key messages", "Decisions expected from the committee"),
    ):
        text = pdf_text(reports[language].file.open("rb").read())
        assert heading in text and MESSAGE in text
        assert decisions in text and "Valider le report du lot 2" in text
        assert "Dépenses conformes" in text and "Redressement engagé" in text
    assert "Version 1" in client.get(reverse("reporting:pack_edit", args=[pack.pk])).content.decode()


def test_editing_after_publication_reopens_the_draft_and_the_next_publication_is_version_2(
    client, world, pack, django_capture_on_commit_callbacks
):
    subscribe(world)
    client.force_login(world.pmo)
    pack_save(pack, content={"key_messages": [MESSAGE]}, revision=1, user=world.pmo)
    publish(client, pack, django_capture_on_commit_callbacks)
    first = set(Report.objects.values_list("pk", flat=True))
    mail.outbox.clear()

    edited = client.post(
        reverse("reporting:pack_edit", args=[pack.pk]), editor_data(pack, messages=[MESSAGE, SECOND])
    )
    assert edited.status_code == 302, (pack.revision, ExecutivePack.objects.get().revision)
    pack.refresh_from_db()
    assert pack.state == ExecutivePack.State.DRAFT
    publish(client, pack, django_capture_on_commit_callbacks)

    second = Report.objects.exclude(pk__in=first)
    assert sorted(second.values_list("language", "version", "publication__number")) == [
        ("en", 2, 2),
        ("fr", 2, 2),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.executive.email, world.admin.email])
    assert SECOND in pdf_text(second.get(language="en").file.open("rb").read())
    page = client.get(reverse("reporting:pack_edit", args=[pack.pk])).content.decode()
    assert 'data-version="2"' in page and 'data-version="1"' in page
    # A correction of a published report (Regenerate) keeps its publication, and is not emailed again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.report_regenerate(second.get(language="en"), by=world.pmo)
    again.refresh_from_db()
    assert again.publication.number == 2 and again.state == Report.State.DONE
    assert mail.outbox == []


def test_publishing_an_unchanged_pack_again_publishes_nothing(
    world, pack, django_capture_on_commit_callbacks
):
    pack_publish(pack, user=world.pmo)
    from reporting.packs import NothingToPublish

    with pytest.raises(NothingToPublish):
        pack_publish(pack, user=world.pmo)
    assert PackPublication.objects.count() == 1


def test_a_stale_confirmation_publishes_nothing(client, world, pack):
    client.force_login(world.pmo)
    pack_save(pack, content={"key_messages": ["Changé entre-temps"]}, revision=1, user=world.admin)
    response = client.post(reverse("reporting:pack_publish", args=[pack.pk]), {"confirm": "1", "revision": 1})
    assert response.status_code == 409
    assert "Changé entre-temps" in response.content.decode()
    assert not PackPublication.objects.exists() and not Report.objects.exists()


# --- The scheduled run -----------------------------------------------------------------------------------


def test_a_scheduled_report_that_waits_opens_the_draft_and_asks_for_no_report(client, world, monkeypatch):
    sent = []
    monkeypatch.setattr(services, "enqueue", lambda report: sent.append(report.pk))
    client.force_login(world.pmo)
    client.post(reverse("reporting:pack_policy"), {"monthly_waits": "on"})
    assert PackPolicy.current().waits("monthly") and not PackPolicy.current().waits("quarterly")

    assert scheduled_report("monthly") == [] and scheduled_report("monthly") == []

    assert list(ExecutivePack.objects.values_list("kind", "period", "state")) == [
        ("monthly", LAST_MONTH.start, ExecutivePack.State.DRAFT)
    ]
    assert not Report.objects.exists()
    # The quarterly report does not wait: it is asked for in each language, as before.
    assert len(scheduled_report("quarterly")) == 2 and len(sent) == 2
    assert client.get(reverse("reporting:packs")).context["policy_form"]["monthly_waits"].value() is True


# --- The preview and the PDF ---------------------------------------------------------------------------


def test_the_preview_is_the_drafts_pdf_in_the_readers_language(client, world, pack, red_project):
    pack_save(
        pack,
        content={"key_messages": [MESSAGE], "project_comments": {red_project.code: "Redressement engagé"}},
        revision=1,
        user=world.pmo,
    )
    client.force_login(world.pmo)

    response = client.get(reverse("reporting:pack_preview", args=[pack.pk]), HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    text = pdf_text(response.content)
    assert "Messages clés" in text and MESSAGE in text and "Redressement engagé" in text
    assert "brouillon" in text.lower()
    assert not Report.objects.exists() and not PackPublication.objects.exists()


def test_the_preview_of_the_editor_shows_what_is_typed_without_saving_it(client, world, pack):
    client.force_login(world.pmo)
    response = client.post(
        reverse("reporting:pack_preview", args=[pack.pk]), editor_data(pack, messages=[SECOND])
    )
    assert response.status_code == 200
    assert SECOND in pdf_text(response.content)
    pack.refresh_from_db()
    assert pack.key_messages == [] and pack.revision == 1


def test_without_curation_the_report_prints_no_key_messages(world):
    from reporting.pdf.kinds import build

    report = Report.objects.create(kind="monthly", language="en", period=LAST_MONTH.start)
    text = pdf_text(build(report).pdf)
    assert "Executive summary" in text
    assert "Key messages" not in text and "Decisions expected" not in text and "PMO comment" not in text


def test_the_exceptional_projects_are_the_reports_own(world, pack, red_project):
    assert [line.project.code for line in pack_exceptions(pack)] == [red_project.code]


# --- Who may do what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["executive", "pm", "member"])
def test_only_the_pmo_and_administrators_work_on_packs(client, world, pack, role):
    client.force_login(getattr(world, role))
    for name, kwargs in (
        ("reporting:packs", {}),
        ("reporting:pack_edit", {"pk": pack.pk}),
        ("reporting:pack_preview", {"pk": pack.pk}),
    ):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403
    assert (
        client.post(
            reverse("reporting:pack_publish", args=[pack.pk]), {"confirm": "1", "revision": 1}
        ).status_code
        == 403
    )
    assert client.post(reverse("reporting:pack_policy"), {"monthly_waits": "on"}).status_code == 403
    assert not PackPublication.objects.exists() and not PackPolicy.current().monthly_waits


def test_the_packs_page_costs_the_same_queries_for_one_pack_and_for_four(
    client, world, django_assert_num_queries
):
    client.force_login(world.pmo)
    url = reverse("reporting:packs")
    period = LAST_MONTH
    pack_publish(pack_open(kind="monthly", period=period, user=world.pmo)[0], user=world.pmo)
    client.get(url)  # the session and the user, cached for the counts below
    # The session, the user and their roles (2), the packs with their last editor, their publications
    # with their publisher, the policy.
    with django_assert_num_queries(6):
        client.get(url)
    for _n in range(3):
        period = period.previous()
        pack_publish(pack_open(kind="monthly", period=period, user=world.pmo)[0], user=world.pmo)
    with django_assert_num_queries(6) as captured:
        page = client.get(url)
    assert page.content.decode().count("data-pack=") == 4, captured


def test_the_quarterly_preview_prints_each_comment_with_its_section_and_its_project(
    client, world, red_project
):
    quarter = last_complete(Report.Kind.QUARTERLY, TODAY)
    pack = pack_open(kind=Report.Kind.QUARTERLY, period=quarter, user=world.pmo)[0]
    assert red_project.code in [line.project.code for line in pack_exceptions(pack)]
    pack_save(
        pack,
        content={
            "section_comments": {"gates": "Aucun passage de phase attendu"},
            "project_comments": {red_project.code: "Redressement engagé"},
        },
        revision=1,
        user=world.pmo,
    )
    client.force_login(world.admin)

    text = pdf_text(client.get(reverse("reporting:pack_preview", args=[pack.pk])).content)

    gates = text[text.index("Stage gates of the quarter") :]
    assert gates.index("Aucun passage de phase attendu") < gates.index("No stage-gate review")
    exceptions = text[text.index("Exceptions") : text.index("Trends over the last four quarters")]
    assert exceptions.index(red_project.code) < exceptions.index("PMO comment: Redressement engagé")
    assert "Key messages" not in text  # none written


@pytest.mark.parametrize("kind", [Report.Kind.MONTHLY, Report.Kind.QUARTERLY])
def test_every_section_the_editor_offers_prints_its_comment_in_the_pdf(client, world, red_project, kind):
    """A comment box whose text prints nowhere would lose what the PMO wrote: each section of the editor
    (curation.SECTIONS) has its comment in the PDF, after the section's heading."""
    from reporting.pdf.content.curation import SECTIONS

    pack = pack_open(kind=kind, period=last_complete(kind, TODAY), user=world.pmo)[0]
    comments = {code: f"Commentaire-{code}-PMO" for code, _label in SECTIONS[kind]}
    pack_save(pack, content={"section_comments": comments}, revision=1, user=world.pmo)
    client.force_login(world.pmo)

    text = pdf_text(
        client.get(reverse("reporting:pack_preview", args=[pack.pk]), HTTP_ACCEPT_LANGUAGE="en").content
    )

    for code, label in SECTIONS[kind]:
        assert comments[code] in text, code
        assert text.index(str(label)) < text.index(comments[code]), code
