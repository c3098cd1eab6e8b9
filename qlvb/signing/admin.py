"""Administration of signing: credentials per person or the agency (import a PKCS#12, register a token or
a remote-signing identity, upload the signature and seal images) and the trusted roots (uploaded as
files). Every write goes through `services`."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qlvb.core.admin_site import ReadOnlyAdmin

from . import services
from .models import SigningCredential, TrustedRoot, Verification


def _renamed(exc: ValidationError, field: str) -> ValidationError:
    """A service's error about "file", put on this form's file field."""
    return ValidationError({field if key == "file" else key: value for key, value in exc.message_dict.items()})


def _read(upload) -> bytes:
    return upload.read(services.IMAGE_MAX_BYTES * 5 + 1) if upload else b""


class CredentialForm(forms.ModelForm):
    pkcs12_file = forms.FileField(label=_("Tệp PKCS#12 (.p12/.pfx)"), required=False)
    password = forms.CharField(label=_("Mật khẩu tệp (mã PIN của người ký)"), required=False,
                               widget=forms.PasswordInput(render_value=False))
    certificate_file = forms.FileField(label=_("Chứng thư số (PEM), cho token hoặc ký từ xa"), required=False)
    chain_file = forms.FileField(label=_("Chuỗi chứng thư (PEM)"), required=False)
    signature_png = forms.FileField(label=_("Ảnh chữ ký (PNG nền trong suốt, màu xanh)"), required=False)
    seal_png = forms.FileField(label=_("Ảnh con dấu (PNG nền trong suốt, màu đỏ)"), required=False)

    class Meta:
        model = SigningCredential
        fields = ["owner", "agency", "backend", "label", "status", "pkcs11_module", "token_label", "key_label",
                  "remote_provider", "remote_user_id", "seal_size_mm"]

    def clean(self):
        data = super().clean()
        for name in ("signature_png", "seal_png"):
            if data.get(name):
                data[name + "_bytes"] = _read(data[name])
                services.check_png(data[name + "_bytes"], name)
        if self.instance.pk:
            return data
        backend = data.get("backend")
        if backend == SigningCredential.Backend.PKCS12:
            if not data.get("pkcs12_file"):
                raise ValidationError({"pkcs12_file": _("Hãy chọn tệp PKCS#12.")})
            data["pkcs12_bytes"] = _read(data["pkcs12_file"])
            try:
                services.read_pkcs12(data["pkcs12_bytes"], data.get("password") or "")
            except ValidationError as exc:
                raise _renamed(exc, "pkcs12_file") from None
        elif backend and not data.get("certificate_file"):
            raise ValidationError({"certificate_file": _("Hãy chọn tệp chứng thư số (PEM).")})
        return data


@admin.register(SigningCredential)
class SigningCredentialAdmin(admin.ModelAdmin):
    form = CredentialForm
    list_display = ["label", "owner", "backend", "status", "not_after"]
    list_filter = ["backend", "status"]
    readonly_fields = ["subject", "issuer", "serial", "not_before", "not_after", "fingerprint", "signature_image",
                       "seal_image"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            super().save_model(request, obj, form, change)
            created = obj
        else:
            created = self._create(request.user, data)
            obj.pk = created.pk
        for kind in ("signature", "seal"):
            if data.get(f"{kind}_png_bytes"):
                services.set_appearance_image(actor=request.user, credential=created, kind=kind,
                                              data=data[f"{kind}_png_bytes"], seal_size_mm=data.get("seal_size_mm"))

    def _create(self, actor, data):
        common = {"actor": actor, "agency": data["agency"], "owner": data.get("owner"), "label": data.get("label")}
        if data["backend"] == SigningCredential.Backend.PKCS12:
            return services.import_pkcs12(data=data["pkcs12_bytes"], password=data.get("password") or "", **common)
        certificate = data["certificate_file"].read().decode("ascii", "replace")
        chain = data["chain_file"].read().decode("ascii", "replace") if data.get("chain_file") else ""
        if data["backend"] == SigningCredential.Backend.PKCS11:
            return services.register_pkcs11(certificate_pem=certificate, chain_pem=chain, module=data["pkcs11_module"],
                                            token_label=data["token_label"], key_label=data["key_label"], **common)
        return services.register_remote(certificate_pem=certificate, chain_pem=chain, provider=data["remote_provider"],
                                        user_id=data["remote_user_id"], **common)


class TrustedRootForm(forms.ModelForm):
    certificate_file = forms.FileField(label=_("Tệp chứng thư gốc (PEM hoặc DER)"), required=False)

    class Meta:
        model = TrustedRoot
        fields = ["name", "is_active"]

    def clean(self):
        data = super().clean()
        if not self.instance.pk:
            if not data.get("certificate_file"):
                raise ValidationError({"certificate_file": _("Hãy chọn tệp chứng thư gốc.")})
            data["certificate_bytes"] = data["certificate_file"].read(1024 * 1024)
            try:
                services.load_certificate(data["certificate_bytes"])
            except ValidationError as exc:
                raise _renamed(exc, "certificate_file") from None
        return data


@admin.register(TrustedRoot)
class TrustedRootAdmin(admin.ModelAdmin):
    form = TrustedRootForm
    list_display = ["name", "not_after", "is_active"]
    readonly_fields = ["fingerprint", "not_after", "certificate_pem"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        root = services.add_trusted_root(actor=request.user, data=form.cleaned_data["certificate_bytes"],
                                         name=form.cleaned_data.get("name") or "")
        obj.pk = root.pk


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    list_display = ["sha256", "verdict", "checked_at"]
    list_filter = ["verdict"]
