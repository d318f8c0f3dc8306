import io

from django.contrib.auth.models import Group
from django.core.management import call_command

from eligibility.models import Occupation, Region
from portal import roles


def test_no_model_change_lacks_a_migration(db):
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def test_migrations_create_every_role_group_with_permissions(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ROLE_LABELS) <= names
    senior = Group.objects.get(name=roles.SENIOR_CASEWORKER)
    assert senior.permissions.filter(codename="decide_cases").exists()
    assert not Group.objects.get(name=roles.CASEWORKER).permissions.filter(codename="decide_cases").exists()


def test_migrations_load_all_regions_and_isco_unit_groups(db):
    assert Region.objects.count() == 20
    assert Occupation.objects.count() == 436
    assert Occupation.objects.get(code="0110").title_en == "Commissioned armed forces officers"
    kostanay = Region.objects.get(code="KZ-39")
    assert kostanay.resettlement_kandas and kostanay.is_labour_deficient
    assert not Region.objects.get(code="KZ-75").is_labour_deficient  # Almaty city
