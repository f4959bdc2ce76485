from django.urls import path

from milestones import views

app_name = "milestones"
MILESTONE = (
    "strategies/<slug:slug>/priorities/<priority:key>/objectives/<int:number>/milestones/<int:pk>/"
)

urlpatterns = [
    path("milestones/mine/", views.my_milestones, name="mine"),
    path("milestones/assign/", views.bulk_assign, name="bulk_assign"),
    path(MILESTONE, views.milestone_detail, name="detail"),
    path(MILESTONE + "update/", views.milestone_update, name="update"),
    path(MILESTONE + "assign/", views.milestone_assign, name="assign"),
]
