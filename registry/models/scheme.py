"""The classification scheme (VV 25.05.2017 nr 88): functions, series with their retention, case
files and the legal bases of a restriction."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Function(models.Model):
    """The top level of the classification scheme (a function of the agency)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=255)
    is_closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        verbose_name = _("function")
        verbose_name_plural = _("functions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class SeriesQuerySet(models.QuerySet):
    def open(self):
        return self.filter(is_closed=False, function__is_closed=False)


class Series(models.Model):
    """A series (sari) of the classification scheme: every document is registered in one."""

    function = models.ForeignKey(
        Function, verbose_name=_("function"), on_delete=models.PROTECT, related_name="series"
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("As in the register number, e.g. 1-2."),
    )
    title = models.CharField(_("title"), max_length=255)
    retention_years = models.PositiveSmallIntegerField(
        _("retention period (years)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the series is kept permanently."),
    )
    default_restriction_basis = models.ForeignKey(
        "RestrictionBasis",
        verbose_name=_("default access restriction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_closed = models.BooleanField(
        _("closed"), default=False, help_text=_("No new documents can be registered in it.")
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_permanent(self) -> bool:
        return self.retention_years is None


class CaseFile(models.Model):
    """A file (toimik) of a series for one year: the documents of one matter or one kind."""

    series = models.ForeignKey(
        Series, verbose_name=_("series"), on_delete=models.PROTECT, related_name="files"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255)
    is_closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["series__code", "-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "title"], name="registry_file_series_year_title"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series.code} {self.year}: {self.title}"


class RestrictionBasis(models.Model):
    """A legal basis of an access restriction (AvTS §35(1) points, personal data, …)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(
        _("legal basis"), max_length=255, help_text=_("E.g. AvTS § 35 lg 1 p 12")
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    is_personal_data = models.BooleanField(
        _("sensitive personal data"),
        default=False,
        help_text=_("The restriction may then last up to the longer personal-data limit."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("restriction basis")
        verbose_name_plural = _("restriction bases")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
