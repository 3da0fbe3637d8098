from __future__ import annotations

from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from governance.models import Committee, Membership
from pmo.forms import ModelMultipleChoiceField
from pmo.models import User
from portfolio.models import Project


def _people(*keep: int | None):
    """Active users, plus whoever the sheet already names (so that it shows them, and says why not)."""
    keep_ids = [pk for pk in keep if pk]
    return User.objects.filter(Q(is_active=True) | Q(pk__in=keep_ids)).order_by(
        "last_name", "first_name", "username"
    )


class CommitteeForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = [
            "name",
            "code",
            "kind",
            "mandate",
            "chair",
            "secretary",
            "cadence",
            "quorum",
            "scope_projects",
            "scope_portfolio",
            "scope_directorate",
            "is_active",
        ]
        widgets = {
            "mandate": forms.Textarea(attrs={"rows": 4}),
            "scope_projects": forms.SelectMultiple(attrs={"size": 8}),
        }
        field_classes = {"scope_projects": ModelMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.fields["chair"].queryset = _people(instance.chair_id)
        self.fields["secretary"].queryset = _people(instance.secretary_id)
        listed = list(instance.scope_projects.values_list("pk", flat=True)) if instance.pk else []
        self.fields["scope_projects"].queryset = Project.objects.filter(
            Q(state__in=[Project.State.PROPOSED, Project.State.ACTIVE, Project.State.ON_HOLD])
            | Q(pk__in=listed)
        ).order_by("code")
        self.fields["scope_projects"].help_text = _(
            "Projects covered one by one, besides those of the portfolio and directorate below."
        )
        self.fields["code"].widget.attrs["placeholder"] = "copil-crm"

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code == "new":  # /committees/new/ is the page that creates one
            raise forms.ValidationError(_("This code is reserved; choose another."))
        return code

    def _active(self, name: str):
        user = self.cleaned_data.get(name)
        if user is not None and not user.is_active:
            raise forms.ValidationError(
                _("%(user)s no longer has an active account: choose someone else.") % {"user": user}
            )
        return user

    def clean_chair(self):
        return self._active("chair")

    def clean_secretary(self):
        return self._active("secretary")

    def check_quorum(self, members: MembershipFormSet) -> bool:
        """The quorum counts voting members (the chair votes): it cannot exceed how many there are."""
        quorum = self.cleaned_data.get("quorum") or 0
        voters = members.voting_user_ids()
        if chair := self.cleaned_data.get("chair"):
            voters.add(chair.pk)
        if quorum > len(voters):
            self.add_error(
                "quorum",
                _("The quorum (%(quorum)d) cannot exceed the number of voting members (%(voters)d).")
                % {"quorum": quorum, "voters": len(voters)},
            )
            return False
        return True


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people(self.instance.user_id if self.instance.pk else None)

    def clean_user(self):
        # The formset compares its lines with each other; a line naming someone who already sits on the
        # committee but is not on the sheet (a sheet opened before someone else added them) would break
        # the one-membership-per-person rule when saved.
        user = self.cleaned_data["user"]
        committee = self.instance.committee_id
        if user is not None and committee is not None:
            others = Membership.objects.filter(committee_id=committee, user=user).exclude(pk=self.instance.pk)
            if others.exists():
                raise forms.ValidationError(
                    _("%(user)s already sits on this committee.") % {"user": user}, code="member"
                )
        return user


class BaseMembershipFormSet(BaseInlineFormSet):
    def voting_user_ids(self) -> set[int]:
        return {
            form.cleaned_data["user"].pk
            for form in self.forms
            if form.cleaned_data.get("user")
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == Membership.Role.VOTING
        }


MembershipFormSet = inlineformset_factory(
    Committee,
    Membership,
    form=MembershipForm,
    formset=BaseMembershipFormSet,
    extra=3,
    can_delete=True,
)
