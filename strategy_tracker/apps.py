from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StrategyTrackerConfig(AppConfig):
    name = "strategy_tracker"
    verbose_name = "Strategy Tracker"

    def ready(self) -> None:
        from strategy_tracker.roles import ensure_role_groups_after_migrate

        # A data migration creates the groups; this keeps them after a test database flush.
        post_migrate.connect(ensure_role_groups_after_migrate, sender=self)

        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from simple_history.signals import post_create_historical_record

        from strategy_tracker.data_version import bump_on_save

        # Every saved change writes a history row; a user's name and status show on pages too.
        post_create_historical_record.connect(bump_on_save, dispatch_uid="data-version-history")
        post_save.connect(bump_on_save, sender=get_user_model(), dispatch_uid="data-version-user")
        post_delete.connect(
            bump_on_save, sender=get_user_model(), dispatch_uid="data-version-user-gone"
        )
        # A role given or taken away changes who can be made an owner or a delegate.
        m2m_changed.connect(
            bump_on_save, sender=get_user_model().groups.through, dispatch_uid="data-version-roles"
        )
