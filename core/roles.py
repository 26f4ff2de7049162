"""The roles of DOMAIN.md as Django groups, and the permissions each one holds.

Views check permissions, never group names. Each app lists the permissions its roles need in
``ROLE_PERMISSIONS`` below; :func:`sync_roles` runs after every ``migrate`` (core/apps.py) and
adds what is missing, never taking a permission away (an administrator may have added more).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    key: str
    group: str  # the Group's name in the database; stable, never shown untranslated
    label: str
    description: str
    can: tuple[str, ...]  # what the home page tells the user this role lets them do


CLERK = Role(
    "clerk",
    "Clerk",
    _("Clerk"),
    _("Customer-support specialist who registers and sends the agency's mail."),
    (
        _("register incoming letters, e-mails and parcels"),
        _("send outgoing mail and prepare the daily post"),
        _("log phone calls and front-desk visitors"),
        _("answer e-service users and enter MTR applications"),
    ),
)
MTR_PROCESSOR = Role(
    "mtr_processor",
    "MTR processor",
    _("MTR processor"),
    _("Processes applications to the Register of Economic Activities."),
    (
        _("review MTR applications and request missing data"),
        _("decide on licences and keep register entries current"),
    ),
)
ADVISOR = Role(
    "advisor",
    "Information-management advisor",
    _("Information-management advisor"),
    _("Owns the classification scheme, retention and access restrictions."),
    (
        _("manage the classification scheme and retention periods"),
        _("set and lift access restrictions"),
        _("assign documents and tasks to clerks"),
    ),
)
ASSET_MANAGER = Role(
    "asset_manager",
    "Asset manager",
    _("Asset manager"),
    _("Keeps the agency's property and IT access rights in order."),
    (
        _("keep the inventory and run stocktaking"),
        _("prepare disposal acts"),
        _("manage IT-system access rights and collect price quotes"),
    ),
)
HEAD = Role(
    "head",
    "Department head",
    _("Department head"),
    _("Heads the Digital Services Department."),
    (
        _("see every dashboard and the workload of the department"),
        _("approve disposals and decisions"),
        _("reassign work"),
    ),
)
ADMINISTRATOR = Role(
    "administrator",
    "Administrator",
    _("Administrator"),
    _("Looks after users, roles, settings and the audit log."),
    (
        _("manage users and their roles"),
        _("read the audit log and sign-in records"),
        _("unlock accounts locked after failed sign-ins"),
    ),
)

ROLES: tuple[Role, ...] = (CLERK, MTR_PROCESSOR, ADVISOR, ASSET_MANAGER, HEAD, ADMINISTRATOR)
ROLES_BY_GROUP = {role.group: role for role in ROLES}

# "app_label.codename" permissions per role key; apps add theirs here with a data migration.
# Every member of staff may be made responsible for a document or given a task about it.
_REGISTRY_READ = ("registry.view_document", "registry.view_series", "registry.view_party")
_REGISTRY_CLERK = (
    *_REGISTRY_READ,
    "registry.add_document",
    "registry.change_document",
    "registry.add_party",
    "registry.change_party",
    "registry.add_attachment",
    "registry.change_attachment",
    "registry.export_document",
)
_REGISTRY_ADVISOR = (
    *_REGISTRY_CLERK,
    "registry.view_restricted_document",
    "registry.restrict_document",
    "registry.view_function",
    "registry.add_function",
    "registry.change_function",
    "registry.add_series",
    "registry.change_series",
    "registry.delete_series",
    "registry.view_casefile",
    "registry.add_casefile",
    "registry.change_casefile",
    "registry.view_restrictionbasis",
    "registry.add_restrictionbasis",
    "registry.change_restrictionbasis",
    "registry.add_task",
    "registry.change_task",
)

_MTR_READ = ("mtr.view_application", "mtr.view_entry", "mtr.view_activityarea")
_LETTERS_WRITE = (
    "correspondence.view_letter",
    "correspondence.add_letter",
    "correspondence.change_letter",
    "correspondence.view_lettertemplate",
)
_LETTERS_SEND = (
    *_LETTERS_WRITE,
    "correspondence.send_letter",
    "correspondence.view_dispatchlist",
    "correspondence.change_dispatchlist",
)
_SUPPORT_ANSWER = (
    "helpdesk.view_ticket",
    "helpdesk.change_ticket",
    "helpdesk.view_article",
)
_SUPPORT = (
    *_SUPPORT_ANSWER,
    "helpdesk.add_ticket",
    "helpdesk.add_article",
    "helpdesk.change_article",
    "helpdesk.view_call",
    "helpdesk.add_call",
    "helpdesk.change_call",
    "helpdesk.view_visit",
    "helpdesk.add_visit",
    "helpdesk.change_visit",
)
# Clerks enter the applications that arrive on paper or by e-mail; processors too.
_MTR_INTAKE = (*_MTR_READ, "mtr.add_application")

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    CLERK.key: (*_REGISTRY_CLERK, *_MTR_INTAKE, *_LETTERS_SEND, *_SUPPORT),
    MTR_PROCESSOR.key: (
        *_REGISTRY_READ,
        "mtr.view_application",
        "mtr.add_application",
        "mtr.change_application",
        "mtr.process_application",
        "mtr.view_entry",
        "mtr.change_entry",
        "mtr.view_activityarea",
        *_LETTERS_WRITE,
        *_SUPPORT_ANSWER,
    ),
    ADVISOR.key: (
        *_REGISTRY_ADVISOR,
        *_LETTERS_SEND,
        "correspondence.add_lettertemplate",
        "correspondence.change_lettertemplate",
    ),
    ASSET_MANAGER.key: (
        *_REGISTRY_READ,
        "assets.view_asset",
        "assets.add_asset",
        "assets.change_asset",
        "assets.view_location",
        "assets.add_location",
        "assets.change_location",
        "assets.view_stocktaking",
        "assets.add_stocktaking",
        "assets.change_stocktaking",
        "assets.view_disposal",
        "assets.add_disposal",
        "assets.change_disposal",
        "assets.view_informationsystem",
        "assets.view_accessgrant",
        "assets.add_accessgrant",
        "assets.change_accessgrant",
        "assets.view_quoterequest",
        "assets.add_quoterequest",
        "assets.change_quoterequest",
    ),
    HEAD.key: (
        *_REGISTRY_READ,
        *_MTR_READ,
        "correspondence.view_letter",
        "correspondence.approve_letter",
        "correspondence.view_lettertemplate",
        "correspondence.view_dispatchlist",
        "helpdesk.view_ticket",
        "helpdesk.view_article",
        "helpdesk.view_call",
        "helpdesk.view_visit",
        "assets.view_asset",
        "assets.view_stocktaking",
        "assets.view_disposal",
        "assets.approve_disposal",
        "assets.view_informationsystem",
        "assets.view_accessgrant",
        "assets.view_quoterequest",
        "registry.view_restricted_document",
        "registry.change_document",
        "registry.export_document",
        "registry.add_task",
        "registry.change_task",
        "dashboard.view_department",
        "dashboard.reassign_work",
    ),
    ADMINISTRATOR.key: (
        "dashboard.view_department",
        "core.view_user",
        "core.add_user",
        "core.change_user",
        "auth.view_group",
        "core.view_event",
        "core.view_outboundemail",
        # The intake (core.intake): mailboxes' high-water marks, messages that failed.
        "core.view_mailbox",
        "core.change_mailbox",
        "core.view_inboundmessage",
        "core.change_inboundmessage",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
    ),
}


def holders(codename: str, *, superusers: bool = False):
    """Active users who hold the permission ``codename`` through a role or directly (and the
    superusers, if asked), by name: the choices for assigning or approving. A fresh queryset
    each time, cloned from one built once per process (:func:`once`)."""
    return once(_holders, codename, superusers)


def _holders(codename: str, superusers: bool):
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    condition = Q(groups__permissions__codename=codename) | Q(user_permissions__codename=codename)
    if superusers:
        condition |= Q(is_superuser=True)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(condition)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


_BUILT: dict = {}


def once(build, *args):
    """``build(*args)`` — a queryset that depends on nothing but its arguments — built once per
    process, and a clone of it (``.all()``: never evaluated itself, so never stale) for each
    caller. Building the people a role holds (joins through roles and permissions) cost a list
    page half a millisecond on every request for its filter's choices (issue 16)."""
    key = (build.__module__, build.__qualname__, *args)
    built = _BUILT.get(key)
    if built is None:
        built = _BUILT[key] = build(*args)
    return built.all()


def granted(user, perm: str) -> bool:
    """Whether ``user`` holds ``perm`` ("app_label.codename") through a role or directly, the
    superuser flag not counting. For what no flag may open by itself: the superuser is a
    technical account (the Administrator role grants no registry rights), so restricted
    documents follow the same rule for it as for everyone (issue 13). Cached on the user."""
    if not user.is_active or not user.is_authenticated:
        return False
    if not user.is_superuser:
        return user.has_perm(perm)  # the same answer, from Django's per-user cache
    cache = getattr(user, "_kantselei_granted", None)
    if cache is None:
        from django.contrib.auth.models import Permission
        from django.db.models import Q

        cache = {
            f"{app_label}.{codename}"
            for app_label, codename in Permission.objects.filter(
                Q(group__user=user) | Q(user=user)
            ).values_list("content_type__app_label", "codename")
        }
        user._kantselei_granted = cache
    return perm in cache


def roles_of(user) -> list[Role]:
    """The roles a user holds, in the order of ROLES."""
    names = {group.name for group in user.groups.all()}
    return [role for role in ROLES if role.group in names]


def sync_roles(apps=None, schema_editor=None, *, strict: bool = False) -> None:
    """Create the role groups and grant them their permissions (a data migration's RunPython,
    and after every migrate).

    Works with the historical ``apps`` of a migration and with the live registry alike. In a
    migration, a permission of an app not migrated yet is skipped (the run after migrate adds
    it); with ``strict``, a permission that does not exist is an error (a typo in the list).
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    apps = apps or global_apps
    for app_config in apps.get_app_configs():  # permissions are made after migrate otherwise
        # create_permissions skips app configs without a models module, as a migration's
        # historical apps are; the live registry's value is put back as it was.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.group)
        for dotted in ROLE_PERMISSIONS[role.key]:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                if strict:
                    raise LookupError(f"Role {role.key}: no permission {dotted}")
                continue
            group.permissions.add(permission)
