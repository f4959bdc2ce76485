from django.urls import path

from risks import views

app_name = "risks"

urlpatterns = [
    path("<slug:slug>/risks/", views.register, name="register"),
    path("<slug:slug>/risks/new/", views.add, name="add"),
    path("<slug:slug>/risks/<int:number>/", views.detail, name="detail"),
    path("<slug:slug>/risks/<int:number>/edit/", views.edit, name="edit"),
]
