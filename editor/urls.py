from django.urls import path

from editor import import_views, views

app_name = "editor"

urlpatterns = [
    path("new/", views.new_strategy, name="new_strategy"),
    path("template.xlsx", import_views.template, name="template"),
    path("import/", import_views.import_start, name="import_start"),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("<slug:slug>/import/", import_views.import_start, name="import_into"),
    path("<slug:slug>/workbook.xlsx", import_views.workbook, name="workbook"),
    path("<slug:slug>/items.csv", import_views.items_csv, name="items_csv"),
    path("<slug:slug>/", views.strategy_screen, name="strategy"),
    path("<slug:slug>/priorities/add/", views.add_priority, name="add_priority"),
    path("<slug:slug>/<str:level>/<int:pk>/", views.item_screen, name="item"),
    path("<slug:slug>/<str:level>/<int:pk>/add/", views.add_child, name="add_child"),
    path("<slug:slug>/<str:level>/<int:pk>/measures/add/", views.add_measure, name="add_measure"),
    path("<slug:slug>/<str:level>/<int:pk>/move/", views.move, name="move"),
    path("<slug:slug>/<str:level>/<int:pk>/archive/", views.archive, name="archive"),
    path("<slug:slug>/<str:level>/<int:pk>/restore/", views.restore, name="restore"),
]
