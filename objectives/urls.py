from django.urls import path

from objectives import views

app_name = "objectives"

urlpatterns = [
    path("", views.strategy_list, name="strategy_list"),
    path("<slug:slug>/", views.strategy_detail, name="strategy_detail"),
]
