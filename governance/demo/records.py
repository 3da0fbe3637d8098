"""Stage gates, decisions and actions of the demo meetings, and the references (see governance.demo)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from governance import texts as wording
from governance.demo import texts
from governance.demo.committees import (
    ItemKind,
    Kind,
    MeetingSeeder,
    Outcome,
    Plan,
    Seat,
    State,
)
from governance.models import (
    Action,
    AgendaItem,
    Decision,
    GateCheck,
    GateReview,
    Meeting,
    ReferenceCounter,
)
from governance.services import GATE_TO_DECISION
from pmo.models import User
from pmo.texts import columns
from portfolio.models import Project

OUTCOME_WEIGHTS = [45, 25, 20, 10]  # approved, with conditions, deferred, rejected
DUE_IN_DAYS = [7, 10, 14, 21, 30, 45]
OPEN_STATES = (State.OPEN, State.IN_PROGRESS)
LATE_STATES = [State.DONE, State.OPEN, State.IN_PROGRESS, State.CANCELLED]  # an action past its due date
LATE_WEIGHTS = [60, 14, 18, 8]


class Seeder(MeetingSeeder):
    """What the committees decided and asked, on top of their meetings; then everything is saved."""

    def run(self) -> None:
        plans = self.committees()
        self.meetings(plans)
        for plan in plans:
            for meeting in plan.meetings:
                self.agenda(plan, meeting)
            self.next_agenda(plan)
        # The agenda's clock closed each past meeting after it was inserted.
        Meeting.objects.bulk_update([m for plan in plans for m in plan.meetings], ["closed_at"])
        self.pending_gates(plans)
        self.save_gates()
        AgendaItem.objects.bulk_create(self.items)
        self.ctx.count(AgendaItem, len(self.items))
        self.attendance(plans)
        for plan in plans:
            for index, meeting in enumerate(plan.meetings):
                following = plan.meetings[index + 1] if index + 1 < len(plan.meetings) else plan.planned
                for item in self.items_of(meeting):
                    if id(item) not in self.not_discussed:
                        self.outcome(plan, meeting, item, following)
        self.correction(plans)
        self.make_sure(plans)
        self.every_outcome()
        self.save_decisions_and_actions()

    # --- Stage gates --------------------------------------------------------------------------------

    def phase_index(self, project: Project) -> int:
        return next((i for i, phase in enumerate(self.phases) if phase.pk == project.phase_id), -1)

    def decided_gate(self, plan: Plan, meeting: Meeting) -> None:
        """A gate the committee passed at this meeting: the project has been in its new phase since."""
        candidates = [
            p for p in plan.live if 1 <= self.phase_index(p) < len(self.phases) - 1 and p.pk not in self.gated
        ]
        if not candidates:
            return
        project = self.rng.choice(candidates)
        index, manager = self.phase_index(project), self.managers.get(project.project_manager_id)
        # The first gate of the demo passed with a condition, the others without.
        outcome = GateReview.Outcome.GO_WITH_CONDITIONS if not self.gates else GateReview.Outcome.GO
        review = GateReview(
            project=project,
            committee=plan.committee,
            from_phase=self.phases[index - 1],
            to_phase=self.phases[index],
            state=GateReview.State.DECIDED,
            outcome=outcome,
            requested_by=manager,
        )
        self.at[id(review)] = meeting.starts_at - timedelta(days=self.rng.randint(7, 20))
        self.gates.append(review)
        self.gated.add(project.pk)
        minutes = (
            f"{manager.get_full_name() if manager else 'Le chef de projet'} présente le dossier de passage "
            f"de phase. Le comité examine la check-list critère par critère. {texts.GATE_RATIONALE[outcome]}"
        )
        self.item(
            meeting,
            ItemKind.STAGE_GATE,
            wording.stage_gate(review),
            20,
            project=project,
            gate_review=review,
            presenter=manager,
            minutes=minutes,
        )

    def pending_gates(self, plans: list[Plan]) -> None:
        """Two requests waiting (agenda proposals of the main COPIL): one of its projects, one of pm1's."""
        main, followed = plans[0], next(plan for plan in plans if plan.committee.kind == Kind.PORTFOLIO)

        def open_gate(project: Project) -> bool:
            return 0 <= self.phase_index(project) < len(self.phases) - 1 and project.pk not in self.gated

        picks = [(main, p) for p in main.live if open_gate(p)][:1]
        for plan in (main, followed):
            mine = [p for p in plan.live if p.project_manager_id == self.pm1.pk and open_gate(p)]
            if mine and not any(p.pk == mine[0].pk for _plan, p in picks):
                picks.append((plan, mine[0]))
                break
        for plan, project in picks:
            index = self.phase_index(project)
            review = GateReview(
                project=project,
                committee=plan.committee,
                from_phase=self.phases[index],
                to_phase=self.phases[index + 1],
                requested_by=self.managers.get(project.project_manager_id),
            )
            asked = self.today - timedelta(days=self.rng.randint(1, 6))
            self.at[id(review)] = datetime.combine(asked, time(self.rng.randint(9, 17), 15), tzinfo=self.tz)
            self.gates.append(review)
            self.gated.add(project.pk)

    def save_gates(self) -> None:
        for item in self.items:
            if item.gate_review is not None:
                item.gate_review.decided_at = item.ended_at
        GateReview.objects.bulk_create(self.gates)
        checks = []
        for review in self.gates:
            criteria = self.criteria.get(review.from_phase.pk, [])
            for rank, criterion in enumerate(criteria, start=1):
                met, comment = True, self.rng.choice(texts.GATE_COMMENTS_MET)
                if review.state == GateReview.State.PENDING:
                    met, comment = None, ""
                elif review.outcome == GateReview.Outcome.GO_WITH_CONDITIONS and rank == len(criteria):
                    met, comment = False, texts.GATE_COMMENT_NOT_MET
                checks.append(GateCheck(review=review, criterion=criterion, met=met, comment=comment))
        GateCheck.objects.bulk_create(checks)
        for review in self.gates:
            review.requested_at = self.at[id(review)]
        GateReview.objects.bulk_update(self.gates, ["requested_at"])
        self.ctx.count(GateReview, len(self.gates))

    # --- Decisions and actions ----------------------------------------------------------------------

    def outcome(self, plan: Plan, meeting: Meeting, item: AgendaItem, following: Meeting | None) -> None:
        """What the committee decided and asked on this item."""
        rng = self.rng
        project = item.project
        manager = self.managers.get(project.project_manager_id) if project else None
        if item.kind == ItemKind.PROJECT_REVIEW and manager:
            if rng.random() < 0.5:
                title, options, rationale = rng.choice(texts.PROJECT_DECISIONS)
                outcome = rng.choices(list(Outcome), weights=OUTCOME_WEIGHTS)[0]
                conditions = (
                    rng.choice(texts.CONDITIONS) if outcome == Outcome.APPROVED_WITH_CONDITIONS else ""
                )
                day = meeting.starts_at.date()
                title = title.format(
                    amount=f"{rng.randint(6, 100) * 50_000:,} MAD".replace(",", "\u202f"),
                    date=f"{day + timedelta(days=rng.randint(30, 120)):%d/%m/%Y}",
                    count=rng.randint(2, 5),
                )
                decision = self.decision(
                    plan,
                    meeting,
                    item,
                    title=title,
                    outcome=outcome,
                    project=project,
                    options_considered=options,
                    rationale=rationale,
                    conditions=conditions,
                )
                if conditions:
                    self.action(
                        plan,
                        meeting,
                        item,
                        following,
                        title=conditions.rstrip("."),
                        owner=manager,
                        decision=decision,
                        project=project,
                    )
                elif outcome == Outcome.APPROVED and rng.random() < 0.5:
                    self.action(
                        plan,
                        meeting,
                        item,
                        following,
                        title=rng.choice(texts.PROJECT_ACTIONS),
                        owner=manager,
                        decision=decision,
                        project=project,
                    )
            elif rng.random() < 0.6:
                self.action(
                    plan,
                    meeting,
                    item,
                    following,
                    title=rng.choice(texts.PROJECT_ACTIONS),
                    owner=manager,
                    project=project,
                )
        elif item.kind == ItemKind.STAGE_GATE and manager:
            review = item.gate_review
            conditional = review.outcome == GateReview.Outcome.GO_WITH_CONDITIONS
            decision = self.decision(
                plan,
                meeting,
                item,
                project=project,
                gate_review=review,
                **columns("title", wording.stage_gate(review)),
                outcome=GATE_TO_DECISION[review.outcome],
                rationale=texts.GATE_RATIONALE[review.outcome],
                conditions=texts.GATE_CONDITION if conditional else "",
            )
            if conditional:
                self.action(
                    plan,
                    meeting,
                    item,
                    following,
                    title=texts.GATE_CONDITION,
                    owner=manager,
                    decision=decision,
                    project=project,
                )
        elif item.kind == ItemKind.INFORMATION:
            if rng.random() < 0.25:
                title, rationale = rng.choice(texts.GENERAL_DECISIONS)
                self.decision(plan, meeting, item, title=title, outcome=Outcome.APPROVED, rationale=rationale)
            seated = [user for user, seat in plan.members if seat != Seat.GUEST]
            if rng.random() < 0.6 and seated:
                owner = self.member if self.member in seated and rng.random() < 0.5 else rng.choice(seated)
                self.action(
                    plan, meeting, item, following, title=rng.choice(texts.MEMBER_ACTIONS), owner=owner
                )

    def decision(self, plan: Plan, meeting: Meeting, item: AgendaItem | None, **fields) -> Decision:
        day = meeting.starts_at.date()
        implementation, due, done = Decision.Implementation.NOT_APPLICABLE, None, None
        if fields["outcome"] in (Outcome.APPROVED, Outcome.APPROVED_WITH_CONDITIONS):
            age = (self.today - day).days
            due = day + timedelta(days=self.rng.randint(30, 90))
            implementation = Decision.Implementation.NOT_STARTED
            if age > 45 and self.rng.random() < 0.6:
                implementation = Decision.Implementation.IMPLEMENTED
                done = min(day + timedelta(days=self.rng.randint(10, age)), self.today)
            elif age > 10 or self.rng.random() < 0.5:
                implementation = Decision.Implementation.IN_PROGRESS
        decision = Decision(
            committee=plan.committee,
            meeting=meeting,
            agenda_item=item,
            decided_on=day,
            recorded_by=plan.spec.secretary,
            implementation=implementation,
            implementation_due=due,
            implemented_on=done,
            **fields,
        )
        self.at[id(decision)] = item.ended_at if item else meeting.closed_at
        self.decisions.append(decision)
        return decision

    def action(
        self,
        plan: Plan,
        meeting: Meeting,
        item: AgendaItem | None,
        following: Meeting | None,
        *,
        title: str,
        owner: User,
        decision: Decision | None = None,
        project: Project | None = None,
        due: date | None = None,
        state: str | None = None,
    ) -> Action:
        rng, day = self.rng, meeting.starts_at.date()
        due = due or day + timedelta(days=rng.choice(DUE_IN_DAYS))
        if state is None and due < self.today:
            state = rng.choices(LATE_STATES, LATE_WEIGHTS)[0]
        elif state is None:
            state = rng.choices([State.OPEN, State.IN_PROGRESS, State.DONE], [40, 45, 15])[0]
        completed_on, note = None, ""
        if state == State.DONE:
            completed_on = min(
                max(due + timedelta(days=rng.randint(-6, 3)), day + timedelta(days=1)), self.today
            )
            note = rng.choice(texts.COMPLETION_NOTES)
        elif state == State.CANCELLED:
            note = texts.CANCEL_NOTE
        is_open = state in OPEN_STATES
        action = Action(
            title=title,
            owner=owner,
            due_date=due,
            state=state,
            origin=Action.Origin.DECISION if decision else Action.Origin.MEETING,
            committee=plan.committee,
            meeting=meeting,
            agenda_item=item,
            decision=decision,
            project=project,
            # Open: followed up at the committee's planned meeting; others: were, at its next one.
            follow_up_meeting=plan.planned if is_open else following,
            completion_note=note,
            completed_on=completed_on,
            created_by=plan.spec.secretary,
        )
        self.at[id(action)] = item.ended_at if item else meeting.closed_at
        self.actions.append(action)
        return action

    def correction(self, plans: list[Plan]) -> None:
        """The first approved project decision taken before a committee's last meeting is corrected later."""
        for plan in plans:
            for original in (d for d in self.decisions if d.committee is plan.committee):
                index = plan.meetings.index(original.meeting)
                if original.project is None or original.outcome != Outcome.APPROVED or original.gate_review:
                    continue
                if index + 1 >= len(plan.meetings):
                    continue
                day = original.decided_on
                first, second = day + timedelta(days=60), day + timedelta(days=74)
                title, options, rationale = texts.PROJECT_DECISIONS[2]
                original.title = title.format(date=f"{first:%d/%m/%Y}")
                original.options_considered, original.rationale = options, rationale
                original.implementation = Decision.Implementation.NOT_APPLICABLE
                original.implementation_due = original.implemented_on = None
                following = plan.meetings[index + 1]
                item = next((i for i in self.items_of(following) if i.kind == ItemKind.PROJECT_REVIEW), None)
                correction = self.decision(
                    plan,
                    following,
                    item,
                    title="",
                    outcome=Outcome.APPROVED,
                    project=original.project,
                    rationale=texts.CORRECTION_RATIONALE,
                )
                correction.implementation = Decision.Implementation.IN_PROGRESS
                correction.implementation_due = second
                self.corrected = (correction, original, second)
                return

    def make_sure(self, plans: list[Plan]) -> None:
        """pm1 and the committee member each have an overdue action, one due within three days and one done,
        whatever the draws: the demo's overdue flags, reminders and "my actions" need them."""
        followed = next(plan for plan in plans if plan.committee.kind == Kind.PORTFOLIO)
        for owner, plan, titles in (
            (self.pm1, followed, texts.PROJECT_ACTIONS),
            (self.member, plans[0], texts.MEMBER_ACTIONS),
        ):
            held = [m for m in plan.meetings if m.starts_at.date() <= self.today - timedelta(days=12)]
            if not held:
                continue
            meeting = held[-1]
            items = self.items_of(meeting)
            item = next(
                (i for i in items if i.project and i.project.project_manager_id == owner.pk), items[-1]
            )
            project = item.project if item.project and item.project.project_manager_id == owner.pk else None
            mine = [a for a in self.actions if a.owner_id == owner.pk]
            wanted = [
                (
                    lambda a: a.state in OPEN_STATES and a.due_date < self.today,
                    -self.rng.randint(2, 8),
                    State.OPEN,
                ),
                (
                    lambda a: a.state in OPEN_STATES and 0 <= (a.due_date - self.today).days <= 3,
                    self.rng.randint(1, 3),
                    State.IN_PROGRESS,
                ),
                (lambda a: a.state == State.DONE, -self.rng.randint(3, 6), State.DONE),
            ]
            for present, offset, state in wanted:
                if not any(present(a) for a in mine):
                    self.action(
                        plan,
                        meeting,
                        item,
                        None,
                        title=self.rng.choice(titles),
                        owner=owner,
                        project=project,
                        due=self.today + timedelta(days=offset),
                        state=state,
                    )

    def every_outcome(self) -> None:
        """The decision log shows a deferral and a rejection whatever the draws (which depend on the day
        the demo is anchored to): if one is missing, the latest project decision that nothing hangs on
        (no action, no gate, no correction) and whose outcome appears more than once takes it."""
        pinned = {id(a.decision) for a in self.actions if a.decision is not None}
        if self.corrected:
            pinned |= {id(self.corrected[0]), id(self.corrected[1])}
        for missing in (Outcome.DEFERRED, Outcome.REJECTED):
            counts = Counter(d.outcome for d in self.decisions)
            if counts[missing]:
                continue
            spare = [
                d
                for d in self.decisions
                if d.project is not None
                and d.gate_review is None
                and id(d) not in pinned
                and d.outcome != Outcome.APPROVED_WITH_CONDITIONS
                and counts[d.outcome] > 1
            ]
            if spare:
                decision = spare[-1]
                decision.outcome = missing
                decision.implementation = Decision.Implementation.NOT_APPLICABLE
                decision.implementation_due = decision.implemented_on = None

    def save_decisions_and_actions(self) -> None:
        """References in the order things were recorded, then the counters set to continue after them."""
        last: dict[str, int] = {}

        def number(rows: list, prefix: str) -> list:
            rows = sorted(rows, key=lambda row: self.at[id(row)])
            for row in rows:
                series = f"{prefix}-{self.at[id(row)].astimezone(self.tz).year}"
                last[series] = last.get(series, 0) + 1
                row.reference = f"{series}-{last[series]:04d}"
            return rows

        decisions = number(self.decisions, "DEC")
        if self.corrected:
            correction, original, day = self.corrected
            correction.title = texts.CORRECTION_TITLE.format(
                date=f"{day:%d/%m/%Y}", reference=original.reference
            )
        Decision.objects.bulk_create(decisions)
        if self.corrected:
            Decision.objects.filter(pk=correction.pk).update(supersedes=original.pk)
        for decision in decisions:
            decision.recorded_at = self.at[id(decision)]
        Decision.objects.bulk_update(decisions, ["recorded_at"])

        actions = number(self.actions, "ACT")
        Action.objects.bulk_create(actions)
        for action in actions:
            action.created_at = action.updated_at = self.at[id(action)]
            if action.completed_on:
                action.updated_at = datetime.combine(action.completed_on, time(17, 30), tzinfo=self.tz)
        Action.objects.bulk_update(actions, ["created_at", "updated_at"])
        for series, number_ in sorted(last.items()):
            ReferenceCounter.objects.update_or_create(series=series, defaults={"last": number_})
        self.ctx.count(Decision, len(decisions))
        self.ctx.count(Action, len(actions))
