from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.record_list, name="list"),
    path("new/", views.record_new, name="new"),
    path("approvals/", views.approvals, name="approvals"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/close/", views.record_close, name="close"),
    path("<int:pk>/<str:action>/", views.record_action, name="action"),
    path("<int:pk>/drafts/new/", views.draft_edit, name="draft_new"),
    path("<int:pk>/drafts/<int:draft_pk>/edit/", views.draft_edit, name="draft_edit"),
    path("drafts/<int:pk>/", views.draft_detail, name="draft"),
    path("drafts/<int:pk>/compare/", views.compare, name="compare"),
    path("drafts/<int:pk>/versions/<int:number>/file/", views.version_file, name="version_file"),
    path("drafts/<int:pk>/signed.pdf", views.signed_file, name="signed_file"),
    path("drafts/<int:pk>/signature-status/", views.signature_status, name="signature_status"),
    path("drafts/<int:pk>/do/<str:action>/", views.draft_action, name="draft_action"),
]
