"""How the risks demo is built (see risks.demo)."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from governance.models import (
    Action,
    AgendaItem,
    Committee,
    Decision,
    Meeting,
    ReferenceCounter,
    next_reference,
)
from pmo.demo import DemoContext
from pmo.roles import Role
from portfolio.models import Project
from risks import services
from risks.demo import texts
from risks.meetings import escalation_reason
from risks.models import Escalation, Issue, Risk, RiskAssessment, RiskCategory, RiskLevel, RiskPolicy
from risks.texts import FIRST_ASSESSMENT

LIVE = (Project.State.ACTIVE, Project.State.ON_HOLD)
LEVEL_WEIGHTS = {RiskLevel.LOW: 25, RiskLevel.MEDIUM: 35, RiskLevel.HIGH: 25, RiskLevel.CRITICAL: 15}
MAIN_COPIL = "copil-dig"
# Rows made through the services (a few queries each): fixed numbers, whatever the number of projects.
MITIGATED, OCCURRED, STANDALONE_ISSUES = 24, 6, 5
DECISION_REFERENCE = re.compile(r"DEC-\d{4}-\d{4}")
DECIDED_BY = {MAIN_COPIL: 2, "comite-portefeuille": 2, "copil-si": 1}  # closed meetings with an escalation


class Seeder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx, self.rng, self.today = ctx, ctx.rng, ctx.today
        self.tz = timezone.get_current_timezone()
        self.policy = RiskPolicy()
        self.pmo = ctx.demo_users[Role.PMO]
        self.scores = {
            level: [(p, i) for p in range(1, 6) for i in range(1, 6) if self.policy.level_of(p * i) == level]
            for level in RiskLevel
        }
        self.created: dict[int, datetime] = {}  # id(risk) -> when it was recorded

    def run(self) -> None:
        self.policy.save()
        self.categories = self.seed_categories()
        risks = self.seed_risks()
        self.seed_assessments(risks)
        self.seed_mitigation(risks)
        self.seed_escalations(risks)
        self.seed_occurred(risks)
        self.seed_issues()

    def at(self, days_ago: int, hour: int = 10) -> datetime:
        return datetime.combine(self.today - timedelta(days=days_ago), time(hour, 0), tzinfo=self.tz)

    # --- Configuration ------------------------------------------------------------------------------

    def seed_categories(self) -> dict[str, RiskCategory]:
        rows = RiskCategory.objects.bulk_create(
            RiskCategory(name=fr, name_en=en, order=10 * (n + 1))
            for n, (_key, fr, en) in enumerate(texts.CATEGORIES)
        )
        self.ctx.count(RiskCategory, len(rows))
        return {key: row for (key, _fr, _en), row in zip(texts.CATEGORIES, rows, strict=True)}

    # --- Risks --------------------------------------------------------------------------------------

    def scored(self) -> tuple[int, int]:
        level = self.rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
        return self.rng.choice(self.scores[level])

    def risk(self, template: texts.Template, *, owner, **home) -> Risk:
        rng = self.rng
        probability, impact = self.scored()
        created_days_ago = rng.randint(20, 200)
        risk = Risk(
            title=template.title,
            description=f"{template.cause} {template.effect}",
            cause=template.cause,
            effect=template.effect,
            category=self.categories[template.category],
            owner=owner,
            probability=probability,
            impact=impact,
            score=probability * impact,
            proximity=self.today + timedelta(days=rng.randint(10, 240)) if rng.random() < 0.85 else None,
            response=template.response,
            mitigation_plan=template.mitigation,
            created_by=owner,
            **home,
        )
        if rng.random() < 0.4 and risk.score > 2:  # a residual score, below the inherent one
            risk.residual_probability = max(1, probability - rng.randint(1, 2))
            risk.residual_impact = max(1, impact - rng.randint(0, 1))
            risk.residual_score = risk.residual_probability * risk.residual_impact
        roll = rng.random()
        if roll < 0.09:
            risk.state = Risk.State.CLOSED
            risk.closing_note = rng.choice(texts.CLOSING_NOTES)
            risk.closed_on = self.today - timedelta(days=rng.randint(1, min(created_days_ago - 1, 60)))
            risk.next_review_on = risk.closed_on
        elif roll < 0.27:  # overdue for review
            risk.next_review_on = self.today - timedelta(days=rng.randint(1, 35))
        else:
            risk.next_review_on = self.today + timedelta(days=rng.randint(1, 45))
        self.created[id(risk)] = self.at(created_days_ago, hour=rng.randint(8, 17))
        return risk

    def seed_risks(self) -> list[Risk]:
        ctx, rng = self.ctx, self.rng
        risks = []
        for project in ctx.projects:
            if project.state not in LIVE:
                continue
            for template in rng.sample(texts.TEMPLATES, rng.randint(2, 6)):
                owner = project.project_manager
                if rng.random() < 0.15 and ctx.project_managers:
                    owner = rng.choice(ctx.project_managers)
                risks.append(self.risk(template, owner=owner, project=project))
        # Transverse risks: the portfolios' and the IT directorate's.
        for template, portfolio in zip(texts.TRANSVERSE[:3], ctx.portfolios, strict=False):
            risks.append(self.risk(template, owner=portfolio.owner or self.pmo, portfolio=portfolio))
        it = next((d for d in ctx.directorates if d.code == "DSI"), None)
        if it is not None:
            head = ctx.sponsors_by_directorate.get(it.pk) or [self.pmo]
            risks.append(self.risk(texts.TRANSVERSE[3], owner=head[0], directorate=it))
        risks.sort(key=lambda r: self.created[id(r)])
        for number, risk in enumerate(risks, start=1):
            risk.reference = f"RSK-{number:04d}"
        Risk.objects.bulk_create(risks)
        ReferenceCounter.objects.update_or_create(series="RSK", defaults={"last": len(risks)})
        ctx.count(Risk, len(risks))
        return risks

    def seed_assessments(self, risks: list[Risk]) -> None:
        """One to four scorings from the risk's creation to its last review; the last is its score now."""
        rng, rows = self.rng, []
        for risk in risks:
            count = rng.choices([1, 2, 3, 4], weights=[20, 30, 30, 20])[0]
            start = self.created[id(risk)]
            end = min(self.at(rng.randint(3, 15)), self.ctx.morning) if count > 1 else start
            if risk.closed_on:
                end = min(end, datetime.combine(risk.closed_on, time(9), tzinfo=self.tz))
            end = max(end, start)
            scores = [(risk.probability, risk.impact)]
            for _ in range(count - 1):
                p, i = scores[0]
                scores.insert(
                    0, (min(5, max(1, p + rng.randint(-1, 1))), min(5, max(1, i + rng.randint(-1, 1))))
                )
            for n, (p, i) in enumerate(scores):
                last = n == count - 1
                when = start + (end - start) * (n / (count - 1)) if count > 1 else start
                residual = (risk.residual_probability, risk.residual_impact) if last else (None, None)
                rows.append(
                    RiskAssessment(
                        risk=risk,
                        probability=p,
                        impact=i,
                        score=p * i,
                        residual_probability=residual[0],
                        residual_impact=residual[1],
                        residual_score=residual[0] * residual[1] if residual[0] else None,
                        note=texts.FIRST_ASSESSMENT if n == 0 else rng.choice(texts.REVIEW_NOTES),
                        note_key=FIRST_ASSESSMENT if n == 0 else "",
                        assessed_by=risk.owner,
                        assessed_at=when,
                    )
                )
        RiskAssessment.objects.bulk_create(rows)
        # Recorded at its first assessment, last changed at its latest: one UPDATE, not one per risk.
        assessed = RiskAssessment.objects.filter(risk=OuterRef("pk")).values("assessed_at")
        Risk.objects.update(
            created_at=Subquery(assessed.order_by("assessed_at", "pk")[:1]),
            updated_at=Subquery(assessed.order_by("-assessed_at", "-pk")[:1]),
        )
        self.ctx.count(RiskAssessment, len(rows))

    # --- Through the services: what touches governance or makes issues --------------------------------

    def seed_mitigation(self, risks: list[Risk]) -> None:
        """Mitigation actions on about a third of the open project risks: some late, some done."""
        rng, done = self.rng, []
        templates = {t.title: t for t in texts.TEMPLATES}
        candidates = [r for r in risks if r.is_open and r.project_id and r.title in templates]
        # Through the service (references, the governance action): a fixed number, the worst risks and a
        # third of the others drawn, so that seeding stays a fixed number of queries beyond the bulks.
        candidates.sort(key=lambda r: -r.score)
        picks = candidates[: MITIGATED // 2] + rng.sample(
            candidates[MITIGATED // 2 :], min(MITIGATED // 2, len(candidates[MITIGATED // 2 :]))
        )
        for risk in picks:
            template = templates[risk.title]
            for title in template.actions[: rng.randint(1, len(template.actions))]:
                action = services.mitigation_action_create(
                    risk=risk,
                    title=title,
                    owner=risk.owner,
                    due_date=self.today + timedelta(days=rng.randint(-20, 40)),
                    by=risk.owner,
                )
                if rng.random() < 0.3:
                    done.append(action.pk)
        Action.objects.filter(pk__in=done).update(
            state=Action.State.DONE,
            completion_note=texts.ACTION_DONE_NOTES[0],
            completed_on=self.today - timedelta(days=2),
        )

    def seed_occurred(self, risks: list[Risk]) -> None:
        """A few open risks happened: each became an issue, in one step, as a user would do it."""
        candidates = [r for r in risks if r.is_open and r.project_id and not hasattr(r, "_escalated")]
        picks = self.rng.sample(candidates, min(len(candidates), OCCURRED))
        for risk in picks:
            services.risk_occurred(risk=risk, by=risk.owner, due_date=self.today + timedelta(days=14))
        self.occurred = len(picks)

    def seed_issues(self) -> None:
        """Standalone issues (no risk foresaw them), one in three resolved."""
        rng = self.rng
        live = [p for p in self.ctx.projects if p.state in LIVE]
        picks = rng.sample(live, min(len(live), STANDALONE_ISSUES))
        for n, project in enumerate(picks):
            title, description, severity = texts.ISSUES[n % len(texts.ISSUES)]
            issue = Issue(
                project=project,
                title=title,
                description=description,
                severity=severity,
                owner=project.project_manager,
                due_date=self.today + timedelta(days=rng.randint(-10, 30)),
            )
            if n % 3 == 2:
                issue.state = Issue.State.RESOLVED
                issue.resolution = rng.choice(texts.ISSUE_RESOLUTIONS)
                issue.resolved_on = self.today - timedelta(days=rng.randint(1, 20))
            services.issue_create(issue=issue, by=project.project_manager)
        self.ctx.count(Issue, self.occurred + len(picks))

    # --- Escalations ---------------------------------------------------------------------------------

    def seed_escalations(self, risks: list[Risk]) -> None:
        committees = {c.code: c for c in Committee.objects.filter(code__in=DECIDED_BY)}
        if not committees:
            return
        high = [r for r in risks if r.is_open and r.project_id and r.score >= self.policy.high_from]
        high.sort(key=lambda r: (-r.score, r.reference))
        used: set[int] = set()
        escalations = []
        for code, decided in DECIDED_BY.items():
            committee = committees.get(code)
            if committee is None:
                continue
            scope = set(committee.projects_in_scope().values_list("pk", flat=True))
            mine = [r for r in high if r.project_id in scope and r.pk not in used]
            closed = list(
                committee.meetings.filter(state=Meeting.State.CLOSED).order_by("-starts_at")[:decided]
            )
            for meeting, risk in zip(closed, mine, strict=False):
                used.add(risk.pk)
                escalations.append(self.decided(committee, meeting, risk))
            if code == MAIN_COPIL:
                waiting = [r for r in mine if r.pk not in used][:3]
                planned = committee.meetings.filter(state=Meeting.State.PLANNED).order_by("starts_at").first()
                for n, risk in enumerate(waiting):
                    used.add(risk.pk)
                    escalations.append(self.awaiting(committee, risk, planned if n == 0 else None))
        for risk in risks:
            if risk.pk in used:
                risk._escalated = True
        self.renumber_decisions()
        self.ctx.count(Escalation, len(escalations))

    def renumber_decisions(self) -> None:
        """The committees' decisions on escalations were recorded after governance's demo numbered its own:
        number them all again in the order they were recorded, as the log would have (a correction's title
        names the decision it corrects: it follows)."""
        decisions = list(Decision.objects.order_by("recorded_at", "pk"))
        last: dict[str, int] = {}
        renamed: dict[str, str] = {}
        for decision in decisions:
            series = f"DEC-{timezone.localtime(decision.recorded_at).year}"
            last[series] = last.get(series, 0) + 1
            renamed[decision.reference] = f"{series}-{last[series]:04d}"
        for decision in decisions:
            decision.reference = f"TMP-{decision.pk}"  # references are unique: clear them first
        Decision.objects.bulk_update(decisions, ["reference"])
        for decision, new in zip(decisions, renamed.values(), strict=True):
            decision.reference = new
            decision.title = DECISION_REFERENCE.sub(lambda m: renamed.get(m[0], m[0]), decision.title)
        Decision.objects.bulk_update(decisions, ["reference", "title"])
        for series, number in last.items():
            ReferenceCounter.objects.update_or_create(series=series, defaults={"last": number})

    def escalate(self, committee: Committee, risk: Risk, *, days_ago: int) -> Escalation:
        escalation = Escalation.objects.create(
            risk=risk,
            committee=committee,
            reason=self.rng.choice(texts.ESCALATION_REASONS),
            escalated_by=risk.owner,
        )
        Escalation.objects.filter(pk=escalation.pk).update(escalated_at=self.at(days_ago, hour=16))
        # The agenda item's reason tells the score's trend, as the agenda source does.
        previous = risk.assessments.exclude(score=risk.score).order_by("-assessed_at", "-pk").first()
        if previous is not None:
            escalation.previous_score, escalation.previous_at = previous.score, previous.assessed_at
        return escalation

    def decided(self, committee: Committee, meeting: Meeting, risk: Risk) -> Escalation:
        """Escalated a week before a closed meeting, discussed there, and decided."""
        held = timezone.localtime(meeting.starts_at)
        escalation = self.escalate(committee, risk, days_ago=(self.today - held.date()).days + 7)
        last = meeting.items.aggregate(last=Max("order"))["last"] or 0
        title, outcome, conditions = self.rng.choice(texts.ESCALATION_DECISIONS)
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=last - 5,  # before any other business, the last item
            kind=AgendaItem.Kind.RISK_ESCALATION,
            title=f"{risk.reference} {risk.title}"[:200],
            planned_minutes=10,
            project=risk.project,
            presenter=risk.owner,
            **self.reason(escalation),
            minutes=texts.ESCALATION_MINUTES.format(
                owner=risk.owner.get_full_name(), reference=risk.reference, score=risk.score
            ),
            started_at=meeting.closed_at - timedelta(minutes=20) if meeting.closed_at else None,
            ended_at=meeting.closed_at - timedelta(minutes=10) if meeting.closed_at else None,
        )
        Escalation.objects.filter(pk=escalation.pk).update(agenda_item=item)
        decision = Decision.objects.create(
            reference=next_reference(f"DEC-{held.year}"),
            title=title.format(reference=risk.reference),
            outcome=outcome,
            conditions=conditions,
            committee=committee,
            meeting=meeting,
            agenda_item=item,
            decided_on=held.date(),
            project=risk.project,
            recorded_by=committee.secretary,
        )
        Decision.objects.filter(pk=decision.pk).update(recorded_at=held + timedelta(minutes=45))
        services.link_decisions(meeting=meeting)
        escalation.refresh_from_db()
        return escalation

    def reason(self, escalation: Escalation) -> dict:
        """Why the escalated risk is on the agenda: its key, and its words in the demo's language."""
        text = escalation_reason(escalation, policy=self.policy)
        return {"reason": str(text), **text.stored("reason")}

    def awaiting(self, committee: Committee, risk: Risk, planned: Meeting | None) -> Escalation:
        """Escalated days ago: proposed on the next agenda, or already on it (`planned`)."""
        escalation = self.escalate(committee, risk, days_ago=self.rng.randint(2, 6))
        template = next((t for t in texts.TEMPLATES if t.title == risk.title), None)
        if template and template.actions and not risk.actions.exists():  # the committee sees what is done
            services.mitigation_action_create(
                risk=risk,
                title=template.actions[0],
                owner=risk.owner,
                due_date=self.today + timedelta(days=self.rng.randint(-5, 20)),
                by=risk.owner,
            )
        if planned is not None:
            last = planned.items.aggregate(last=Max("order"))["last"] or 0
            item = AgendaItem.objects.create(
                meeting=planned,
                order=last + 10,
                kind=AgendaItem.Kind.RISK_ESCALATION,
                title=f"{risk.reference} {risk.title}"[:200],
                planned_minutes=10,
                project=risk.project,
                presenter=risk.owner,
                **self.reason(escalation),
            )
            Escalation.objects.filter(pk=escalation.pk).update(agenda_item=item)
        return escalation
