from django.urls import path

from . import views

app_name = "incoming"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.register, name="register"),
    path("new/read-scan/", views.read_scan, name="read_scan"),
    path("new/read-scan/<str:sha256>/", views.scan_suggestions, name="scan_suggestions"),
    path("new/check-duplicate/", views.check_duplicate, name="check_duplicate"),
    path("new/routing-suggestions/", views.routing_for_registration, name="routing_registration"),
    path("register-book/", views.register_book, name="register_book"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("<int:pk>/print/", views.print_view, name="print"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/present/", views.present, name="present"),
    path("<int:pk>/routing-suggestions/", views.routing_for_presenting, name="routing_present"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
