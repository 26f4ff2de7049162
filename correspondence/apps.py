from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = _("Outgoing mail")

    def ready(self) -> None:
        from core import events
        from correspondence.verbs import Verb

        events.register_verbs(Verb)
