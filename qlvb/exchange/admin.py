"""Administration of the direct exchange: the peers (another QLVB installation: its OrganId, address,
shared token, signing certificate) and the outbox (read-only: what is waiting, how many attempts, why)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from qlvb.core.admin_site import ReadOnlyAdmin

from . import services
from .models import OutboxItem, Peer


class PeerForm(forms.ModelForm):
    endpoint = forms.URLField(label=_("Địa chỉ nhận gói tin"), max_length=500, assume_scheme="https",
                              help_text=Peer._meta.get_field("endpoint").help_text)
    token = forms.CharField(label=_("Mã xác thực"), max_length=200, widget=forms.PasswordInput(render_value=True),
                            help_text=Peer._meta.get_field("token").help_text)

    class Meta:
        model = Peer
        fields = ["organ_id", "name", "endpoint", "token", "certificate_pem", "is_active"]

    def clean(self):
        data = super().clean()
        services.check_peer(data, instance=self.instance)
        return data


@admin.register(Peer)
class PeerAdmin(admin.ModelAdmin):
    form = PeerForm
    list_display = ["name", "organ_id", "endpoint", "is_active"]
    search_fields = ["name", "organ_id"]

    def save_model(self, request, obj, form, change):
        services.save_peer(actor=request.user, peer=obj, changed=form.changed_data)


@admin.register(OutboxItem)
class OutboxAdmin(ReadOnlyAdmin):
    list_display = ["package", "status_message", "peer", "state", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["state", "peer"]
