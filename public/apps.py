from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = "Public view"
    default_auto_field = "django.db.models.BigAutoField"
