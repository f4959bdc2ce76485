from django.urls import path

from public import views

app_name = "public"
STRATEGY = "<slug:slug>/"
QUARTER = STRATEGY + "<str:quarter>/"
PRIORITY = QUARTER + "priorities/<priority:key>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path(STRATEGY, views.strategy, name="strategy"),
    path(STRATEGY + "figures.csv", views.figures_csv, name="figures_csv"),
    path(STRATEGY + "strategy.json", views.structure_json, name="structure_json"),
    path(QUARTER, views.quarter, name="quarter"),
    path(QUARTER + "report/", views.report, name="report"),
    path(QUARTER + "report.pdf", views.report_pdf, name="report_pdf"),
    path(PRIORITY, views.priority, name="priority"),
    path(PRIORITY + "objectives/<int:number>/", views.objective, name="objective"),
    path(QUARTER + "measures/<slug:code>/", views.measure, name="measure"),
]
