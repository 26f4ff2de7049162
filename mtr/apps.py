from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MtrConfig(AppConfig):
    name = "mtr"
    verbose_name = _("Register of Economic Activities")
