from django.urls import path

from measures import quality_views, views

app_name = "measures"

urlpatterns = [
    path("import/", views.import_start, name="import_start"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("import/history/", views.import_list, name="import_list"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("<slug:code>/", views.measure_detail, name="detail"),
    path("<slug:code>/values.csv", views.measure_values_csv, name="values_csv"),
    path("<slug:code>/spc/", views.measure_spc_limits, name="spc_limits"),
    path("<slug:code>/data-quality/", quality_views.rate, name="data_quality"),
]
