from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("export/<int:pk>/", views.export_status, name="export_status"),
    path("export/<int:pk>/download/", views.download, name="download"),
    path("tokens/", views.tokens, name="tokens"),
]
