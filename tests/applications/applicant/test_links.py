import re

from django.urls import reverse


def test_choose_a_product_links_to_a_working_self_check(applicant_client):
    html = applicant_client.get(reverse("applications:choose")).content.decode()
    href = re.search(r'<a href="([^"]+)">[^<]*(?:qualify)', html).group(1)
    assert applicant_client.get(href).status_code == 200
