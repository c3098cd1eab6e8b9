from django.urls import path

from . import book_views as views

app_name = "documents"
urlpatterns = [
    path("", views.book_page, {"book_key": "incoming"}, name="index"),
    path("<slug:book_key>/", views.book_page, name="book"),
    path("<slug:book_key>/export/<slug:fmt>/", views.book_file, name="book_file"),
    path("<slug:book_key>/close/", views.close, name="close"),
    path("closed/<int:pk>/download/", views.closed_download, name="closed_download"),
]
