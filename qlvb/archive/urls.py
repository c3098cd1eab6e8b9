from django.urls import path

from . import views

app_name = "archive"
urlpatterns = [
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/export.xlsx", views.plan_export, name="plan_export"),
    path("plans/<int:pk>/items/<int:item_pk>/edit/", views.item_edit, name="item_edit"),
    path("plans/<int:pk>/do/<str:action>/", views.plan_action, name="plan_action"),
]
