from django.urls import path

from . import views

app_name = "assignments"
urlpatterns = [
    path("<int:pk>/forward/", views.forward, name="forward"),
    *[path(f"<int:pk>/{action}/", views.act, {"action": action}, name=action)
      for action in ("pending", "update", "complete", "return", "recall")],
]
