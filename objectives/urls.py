from django.urls import path

from measures import views as measure_views
from objectives import views

app_name = "objectives"

urlpatterns = [
    path("", views.strategy_list, name="strategy_list"),
    path("<slug:slug>/", views.strategy_detail, name="strategy_detail"),
    path("<slug:slug>/status/", views.strategy_status, name="strategy_status"),
    path("<slug:slug>/milestones/", views.strategy_milestones, name="strategy_milestones"),
    path("<slug:slug>/export.json", views.strategy_export_json, name="strategy_export_json"),
    path("<slug:slug>/figures.csv", measure_views.strategy_values_csv, name="strategy_values_csv"),
    path("<slug:slug>/priorities/<priority:key>/", views.priority_detail, name="priority_detail"),
    path(
        "<slug:slug>/priorities/<priority:key>/objectives/<int:number>/",
        views.objective_detail,
        name="objective_detail",
    ),
]
