from django.urls import path

from . import archive_views, disposal_views, views

app_name = "archive"
urlpatterns = [
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/export.xlsx", views.plan_export, name="plan_export"),
    path("plans/<int:pk>/items/<int:item_pk>/edit/", views.item_edit, name="item_edit"),
    path("plans/<int:pk>/do/<str:action>/", views.plan_action, name="plan_action"),
]
urlpatterns += [
    path("records/<int:record_pk>/submit/", views.record_submit, name="submit"),
    path("records/<int:record_pk>/keep/", views.keep_request, name="keep_request"),
    path("keep/", views.keep_list, name="keep"),
    path("submissions/", views.submissions, name="submissions"),
    path("handovers/<int:pk>/", views.handover_detail, name="handover"),
    path("handovers/<int:pk>/<str:kind>.pdf", views.handover_pdf, name="handover_pdf"),
]
urlpatterns += [
    path("disposals/", disposal_views.disposal_list, name="disposals"),
    path("disposals/<int:pk>/", disposal_views.disposal_detail, name="disposal"),
    path("disposals/<int:pk>/bien-ban.pdf", disposal_views.disposal_report, name="disposal_report"),
    path("figures/", disposal_views.record_figures, name="figures"),
]

# The archive (issue 13 item 5): search, an archived record, its files and exports, access by request.
urlpatterns += [
    path("archived/", archive_views.archive_search, name="archive_search"),
    path("archived/historical-export/", archive_views.historical_export, name="historical_export"),
    path("archived/<int:pk>/", archive_views.archived_record, name="archived"),
    path("archived/<int:pk>/files/<int:entry_pk>/<int:n>/", archive_views.archived_file, name="archived_file"),
    path("archived/<int:pk>/export.<str:fmt>", archive_views.archived_export, name="archived_export"),
    path("archived/<int:pk>/request/", archive_views.access_request, name="access_request"),
    path("access-requests/", archive_views.access_request_list, name="access_requests"),
]
