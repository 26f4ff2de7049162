import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from core import demo, roles
from core.models import User

pytestmark = pytest.mark.django_db


def test_migrations_create_a_group_for_every_role():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.group for r in roles.ROLES}


def test_administrator_group_holds_its_permissions():
    group = Group.objects.get(name=roles.ADMINISTRATOR.group)
    held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert held >= set(roles.ROLE_PERMISSIONS[roles.ADMINISTRATOR.key])


def test_sync_roles_keeps_permissions_an_administrator_added():
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name=roles.CLERK.group)
    extra = Permission.objects.get(codename="view_numbercounter")
    group.permissions.add(extra)
    roles.sync_roles()
    assert extra in group.permissions.all()


def test_roles_of_lists_a_users_roles_in_order(make_user):
    user = make_user(roles.HEAD, roles.CLERK)
    assert roles.roles_of(user) == [roles.CLERK, roles.HEAD]


@pytest.fixture(autouse=True)
def _small_demo(monkeypatch):
    """The demo's sizes are tested in each app's test_demo; here a few rows of each will do."""
    from mtr.demo import applications as mtr_applications
    from mtr.demo import entries as mtr_entries

    monkeypatch.setattr(mtr_applications, "APPLICATIONS_PER_STATUS", 2)
    monkeypatch.setattr(mtr_entries, "ENTRY_COUNT", 12)
    from helpdesk import demo as helpdesk_demo

    monkeypatch.setattr(helpdesk_demo, "TICKETS_PER_STATUS", 2)
    from assets import demo as assets_demo

    monkeypatch.setattr(assets_demo, "ASSET_COUNT", 30)


def test_seed_demo_creates_one_login_per_role(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for role in roles.ROLES:
        logins = [
            u for u in User.objects.filter(groups__name=role.group) if u.has_usable_password()
        ]
        assert len(logins) == 1, role
    mari = User.objects.get(username="mari")
    assert mari.check_password(demo.DEMO_PASSWORD)
    assert mari.get_full_name() == "Mari Tamm"
    assert User.objects.get(username="kadri").last_name == "Õunapuu"


def test_seed_demo_twice_changes_nothing(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    before = list(User.objects.order_by("pk").values("pk", "password", "last_login"))
    mari = User.objects.get(username="mari")
    mari.set_password("Changed-by-mari-2026")
    mari.save()
    call_command("seed_demo")
    after = User.objects.order_by("pk")
    assert [u.pk for u in after] == [row["pk"] for row in before]
    assert User.objects.get(username="mari").check_password("Changed-by-mari-2026")
    assert "0 created, 6 already there" in capsys.readouterr().out


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo")
    assert not User.objects.filter(username="mari").exists()


@pytest.mark.django_db(transaction=True)
def test_role_groups_come_back_after_a_flush():
    """A transactional test ends with a flush; the next test still finds the role groups."""
    call_command("flush", interactive=False, verbosity=0)

    group = Group.objects.get(name=roles.ADMINISTRATOR.group)
    assert group.permissions.filter(codename="view_event").exists()


def test_holders_built_once_still_find_who_holds_the_role_now(make_user):
    """core.roles.once: the queryset is built once per process, each caller gets a clone that
    reads the database afresh (a new role holder is found, the shared one is never evaluated)."""
    before = list(roles.holders("process_application"))
    processor = make_user(roles.MTR_PROCESSOR, username="uus.menetleja")
    after = roles.holders("process_application")
    assert processor in after
    assert processor not in before
    assert roles.holders("process_application") is not after
    assert all(built._result_cache is None for built in roles._BUILT.values())
