"""Reading lessons learned: the lessons of similar projects, the register's search, who may record one.

Every read starts from `Lesson.objects.visible_to(user)` (its project's one rule): a confidential
project's lesson does not exist for who may not see the project, on the register, beside a gate's
checklist or on the live meeting page.

Similar projects: another project's lesson counts when it was learnt in the same phase, in the same
directorate or with the same methodology, or when its category is one of the categories most often met
in that phase. The same phase comes first, then the more of phase, directorate and methodology match,
then the newest.
"""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from benefits.models import Lesson
from pmo.roles import Role
from portfolio.models import Project

SIMILAR_LIMIT = 5
COMMON_CATEGORIES = 3  # the categories most often met in a phase

# A letter and its accented forms: the search matches "recette" and "Récette" alike, on SQLite (Python's
# regular expressions) and PostgreSQL (~*), without an unaccent extension.
_VARIANTS = {
    "a": "aàâäáã",
    "c": "cç",
    "e": "eéèêë",
    "i": "iîïí",
    "n": "nñ",
    "o": "oôöó",
    "u": "uùûüú",
    "y": "yÿ",
}


def _folded(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def word_pattern(word: str) -> str:
    """A case-insensitive regular expression matching `word` with or without its accents; other than
    letters and digits, its characters are dropped (nothing of the user's reaches the regex engine)."""
    parts = []
    for char in _folded(word):
        if char in _VARIANTS:
            parts.append(f"[{_VARIANTS[char]}]")
        elif char.isalnum():
            parts.append(re.escape(char))
    return "".join(parts)


def search(lessons: QuerySet[Lesson], text: str) -> QuerySet[Lesson]:
    """The lessons whose title, what happened or recommendation holds every word of `text`."""
    for word in text.split()[:8]:
        pattern = word_pattern(word)
        if pattern:
            lessons = lessons.filter(
                Q(title__iregex=pattern)
                | Q(what_happened__iregex=pattern)
                | Q(recommendation__iregex=pattern)
            )
    return lessons


def for_listing(lessons: QuerySet[Lesson]) -> QuerySet[Lesson]:
    return lessons.select_related("project", "phase", "directorate", "recorded_by")


def common_categories(phase) -> list[str]:
    """The categories of the lessons most often learnt in `phase`, whatever the project (one query;
    counts only, nothing of a project's is shown)."""
    if phase is None:
        return []
    rows = (
        Lesson.objects.filter(phase=phase)
        .values("category")
        .annotate(n=Count("pk"))
        .order_by("-n", "category")[:COMMON_CATEGORIES]
    )
    return [row["category"] for row in rows]


def _matches(field: str, value) -> Case:
    return Case(When(**{field: value}, then=Value(1)), default=Value(0), output_field=IntegerField())


def similar_lessons(project: Project, *, phase, user, limit: int = SIMILAR_LIMIT) -> list[Lesson]:
    """The lessons of other projects `user` may see most like what `project` is about to go through in
    `phase` (see the module). Two queries: the phase's common categories, the lessons."""
    categories = common_categories(phase)
    alike = Q(directorate=project.directorate_id) | Q(methodology=project.methodology)
    if phase is not None:
        alike |= Q(phase=phase)
    if categories:
        alike |= Q(category__in=categories)
    phase_match = _matches("phase", phase) if phase is not None else Value(0, output_field=IntegerField())
    lessons = (
        Lesson.objects.visible_to(user)
        .exclude(project=project)
        .filter(alike)
        .annotate(
            same_phase=phase_match,
            matched=phase_match
            + _matches("directorate", project.directorate_id)
            + _matches("methodology", project.methodology),
        )
        .order_by("-same_phase", "-matched", "-recorded_at", "-pk")
    )
    return list(for_listing(lessons)[:limit])


# --- Who records, edits and deletes ----------------------------------------------------------------------


def is_pmo(user) -> bool:
    return user.is_authenticated and user.has_role(Role.PMO, Role.ADMINISTRATOR)


def can_record(user, project: Project) -> bool:
    """Who may edit the project (its manager, the PMO), or a member of a committee reviewing its gate."""
    if not user.is_authenticated:
        return False
    if Project.objects.editable_by(user).filter(pk=project.pk).exists():
        return True
    return project.gate_reviews.filter(committee__memberships__user=user).exists()


def can_change(user, lesson: Lesson) -> bool:
    """Who recorded the lesson, or the PMO."""
    return user.is_authenticated and (lesson.recorded_by_id == user.pk or is_pmo(user))
