"""The card carries the applicant's processed photo: on the holder's page, the PDF and the check page."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from applications.cards import services
from applications.cards.pdf import card_pdf
from applications.models import Document
from portal.audit.models import AuditEvent
from tests.applications.cards.test_verification import fresh_ip

pytestmark = pytest.mark.django_db


def jpeg(color=(200, 30, 30), size=(60, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def photo_card(make_approved, settings, tmp_path):
    local = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}
    settings.STORAGES = {**settings.STORAGES, "default": local, "private": local}
    application = make_approved()
    data = jpeg()
    document = Document(application=application, kind=Document.Kind.PHOTO, original_name="me.jpg", size=len(data))
    document.file.save("photo", ContentFile(data), save=False)
    # The document pipeline's sanitised copy, where that field exists.
    if hasattr(document, "sanitised_file"):
        document.sanitised_file.save("photo-clean", ContentFile(data), save=False)
    document.status = Document.Status.READY
    document.save()
    return services.card_issue(application=application)


def test_the_card_links_the_ready_photo_and_the_pdf_embeds_it(photo_card):
    assert photo_card.photo is not None
    images = [img for page in PdfReader(io.BytesIO(card_pdf(photo_card, language="en"))).pages for img in page.images]
    assert len(images) == 2  # photo + QR


def test_holder_sees_the_photo_and_a_staff_view_is_audited(client, photo_card, applicant, caseworker, stranger):
    url = reverse("cards:photo", args=[photo_card.number])
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(applicant)
    assert client.get(url)["Content-Type"] == "image/jpeg"
    assert not AuditEvent.objects.filter(action="card.photo_view").exists()
    client.force_login(caseworker)
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.get(action="card.photo_view").actor == caseworker


def test_the_check_page_shows_the_photo_through_a_signed_link_only(client, photo_card, applicant):
    share = services.share_code_create(card=photo_card, purpose="work", actor=applicant)
    form = {"number": photo_card.number, "code": share.code}
    page = client.post(reverse("verify:verify"), form, REMOTE_ADDR=fresh_ip()).content.decode()
    link = re.search(r'src="(/verify/photo/[^"]+)"', page).group(1)
    assert client.get(link)["Content-Type"] == "image/jpeg"
    assert client.get(link[:-3] + "xyz/").status_code == 404
