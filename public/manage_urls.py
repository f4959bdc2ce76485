from django.urls import path

from public import manage_views

app_name = "publication"

urlpatterns = [
    path("<slug:slug>/publication/", manage_views.publication, name="manage"),
]
