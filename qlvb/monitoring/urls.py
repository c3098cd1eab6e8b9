from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("urge/", views.urge, name="urge"),
    path("close-info/", views.close_info, name="close_info"),
    path("review/", views.review, name="review"),
    path("review/<int:pk>/fix/", views.fix, name="fix"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.open_notification, name="open"),
    path("notifications/read-all/", views.read_all, name="read_all"),
    path("notifications/badge/", views.badge, name="badge"),
    path("menu-counts/", views.menu_counts, name="menu_counts"),
]
