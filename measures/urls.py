from django.urls import path

from measures import views

app_name = "measures"

urlpatterns = [
    path("<slug:code>/", views.measure_detail, name="detail"),
]
