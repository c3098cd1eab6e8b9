from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.search_page, name="page"),
    path("export/<str:file_format>/", views.export, name="export"),
    path("saved/", views.save, name="save"),
    path("saved/<int:pk>/", views.rerun, name="rerun"),
    path("saved/<int:pk>/rename/", views.rename, name="rename"),
    path("saved/<int:pk>/delete/", views.delete, name="delete"),
]
