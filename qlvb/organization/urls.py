from django.urls import path

from qlvb.audit import views as audit_views

from . import views

app_name = "administration"
urlpatterns = [
    path("", views.index, name="index"),
    path("import-template/<str:kind>/", views.import_template, name="import_template"),
    path("rights-changes/", views.rights_changes, name="rights_changes"),
    path("rights-changes/confirm/", views.confirm_rights_changes, name="confirm_rights_changes"),
    path("audit-check/", audit_views.check_chain, name="audit_check"),
    path("access-log/", audit_views.access_log, name="access_log"),
]
