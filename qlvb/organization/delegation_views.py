from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qlvb.core.forms import DateTimeField

from . import services
from .models import Delegation, Field, Person, Role


class DelegationForm(forms.Form):
    delegate_to = forms.ModelChoiceField(label=gettext_lazy("Ủy quyền cho"), queryset=Person.objects.none())
    starts_at = DateTimeField(label=gettext_lazy("Từ"))  # dd/mm/yyyy HH:MM
    ends_at = DateTimeField(label=gettext_lazy("Đến"))
    fields = forms.ModelMultipleChoiceField(label=gettext_lazy("Lĩnh vực (để trống: mọi lĩnh vực)"),
                                            queryset=Field.objects.all(), required=False)
    note = forms.CharField(label=gettext_lazy("Nội dung"), required=False, max_length=500)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate_to"].queryset = Person.objects.filter(
            position__role__in=[Role.LEADER, Role.HEAD], is_active=True).exclude(pk=person.pk).order_by(
            "position__rank", "full_name")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"


@login_required
def delegations(request):
    person = request.user
    form = DelegationForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.delegate(actor=person, delegator=person, delegate_to=data["delegate_to"],
                              starts_at=data["starts_at"], ends_at=data["ends_at"], fields=data["fields"],
                              note=data["note"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã ủy quyền cho %(name)s.") % {"name": data["delegate_to"]})
            return redirect("delegations")
    mine = Delegation.objects.filter(Q(delegator=person) | Q(delegate=person)).select_related(
        "delegator", "delegate").prefetch_related("fields")[:50]
    return render(request, "organization/delegations.html", {
        "form": form, "delegations": mine, "can_delegate": person.has_role(Role.LEADER, Role.HEAD)})


@login_required
@require_POST
def revoke(request, pk):
    delegation = get_object_or_404(Delegation, pk=pk, delegator=request.user)
    services.revoke_delegation(actor=request.user, delegation=delegation)
    messages.success(request, _("Đã thu hồi ủy quyền."))
    return redirect("delegations")
