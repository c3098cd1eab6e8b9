from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/import/", views.import_file, name="import"),
    path("inbox/<int:pk>/", views.received, name="received"),
    path("inbox/<int:pk>/register/", views.register, name="register"),
    path("inbox/<int:pk>/refuse/", views.refuse, name="refuse"),
    path("outgoing/<int:pk>/", views.outgoing, name="outgoing"),
    path("outgoing/<int:pk>/change/", views.change, name="change"),
    path("recipients/<int:recipient_pk>/export/", views.export, name="export"),
    path("recipients/<int:recipient_pk>/send/", views.send, name="send"),
    path("packages/<int:pk>/file/", views.package_file, name="package_file"),
    path("statuses/<int:pk>/file/", views.status_file, name="status_file"),
]
