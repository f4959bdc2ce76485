from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api import token_views, views
from strategy_tracker.chart_policy import library_page

app_name = "api"

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("strategies", views.StrategyViewSet, basename="strategy")
router.register("priorities", views.PriorityViewSet, basename="priority")
router.register("objectives", views.ObjectiveViewSet, basename="objective")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("values", views.ValueViewSet, basename="value")
router.register("snapshots", views.SnapshotViewSet, basename="snapshot")

urlpatterns = [
    path("v1/values.csv", views.ValuesCsvView.as_view(), name="values-csv"),
    path("v1/", include(router.urls)),
    path(
        "v1/schema/",
        # Open to all, so no key is read: a stale one in a client's settings is no 401.
        views.login_not_required(SpectacularAPIView.as_view(authentication_classes=[])),
        name="schema",
    ),
    path(
        "v1/docs/",
        # Swagger UI writes its own styles as it draws (strategy_tracker/chart_policy.py).
        library_page(
            views.login_not_required(
                SpectacularSwaggerSplitView.as_view(
                    url_name="api:schema", authentication_classes=[]
                )
            )
        ),
        name="docs",
    ),
    path("tokens/", token_views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.revoke, name="revoke"),
]
