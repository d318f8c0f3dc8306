"""Issue 16: region names in Uzbek and Chinese on the applicant's pages, never English or a code."""

import pytest
from django.utils import translation

from applications import services
from eligibility.models import Region
from eligibility.products import Product
from tests.applications.applicant.conftest import verify

pytestmark = pytest.mark.django_db


def test_every_region_has_an_uzbek_and_a_chinese_name():
    regions = list(Region.objects.all())
    assert len(regions) == 20
    for region in regions:
        assert region.name_uz and region.name_zh_hans, region.code
        with translation.override("uz"):
            assert region.name == region.name_uz
        with translation.override("zh-hans"):
            assert region.name == region.name_zh_hans


@pytest.mark.parametrize(
    ("language", "expected", "english"),
    [("uz", "Pavlodar viloyati", "Pavlodar Region"), ("zh-hans", "巴甫洛达尔州", "Pavlodar Region")],
)
def test_the_region_page_names_regions_in_the_applicants_language(applicant, client_for, language, expected, english):
    verify(applicant, language)
    draft = services.application_start(owner=applicant, product=Product.KANDAS_CARD)
    client = client_for(applicant)
    body = client.get(f"/applications/{draft.pk}/section/region/").content.decode()
    assert expected in body
    assert english not in body and "North Kazakhstan Region" not in body
    assert ">KZ-55<" not in body
