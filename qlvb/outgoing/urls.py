from django.urls import path

from . import views

app_name = "outgoing"
urlpatterns = [
    path("", views.issued, name="list"),
    path("issue/<int:draft_pk>/", views.issue, name="issue"),
    path("issue/<int:draft_pk>/preview/", views.issue_preview, name="issue_preview"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/file/", views.file, name="file"),
    path("<int:pk>/attachments/<int:position>/", views.attachment_file, name="attachment"),
    path("drafts/<int:draft_pk>/attachments/", views.draft_attachments, name="draft_attachments"),
    path("drafts/<int:draft_pk>/attachments/<int:pk>/", views.draft_attachment, name="draft_attachment"),
    path("drafts/<int:draft_pk>/attachments/<int:pk>/remove/", views.draft_attachment_remove,
         name="draft_attachment_remove"),
    path("<int:pk>/print/", views.print_view, name="print"),
    path("<int:pk>/issue-date/", views.issue_date, name="issue_date"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("<int:pk>/copy/", views.copy, name="copy"),
    path("<int:pk>/recall/", views.recall, name="recall"),
    path("<int:pk>/recipients/<int:recipient_pk>/", views.dispatch, name="dispatch"),
]
