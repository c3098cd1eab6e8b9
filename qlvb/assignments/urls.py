from django.urls import path

from . import views

app_name = "assignments"
urlpatterns = [
    path("<int:pk>/forward/", views.forward, name="forward"),
    path("<int:pk>/routing-suggestions/", views.routing_suggestions, name="routing"),
    path("documents/<int:document_pk>/extend-deadline/", views.extend_deadline, name="extend_deadline"),
    path("left-open/close/", views.close_left_open, name="close_left_open"),
    *[path(f"<int:pk>/{action}/", views.act, {"action": action}, name=action)
      for action in ("pending", "update", "complete", "return", "recall")],
]
