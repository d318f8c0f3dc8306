"""The portal's URLs plus the benchmark's bare baseline view (one indexed query)."""

from django.http import HttpResponse
from django.urls import path

from applications.models import Application
from portal.urls import urlpatterns as portal_urlpatterns


def bare_queue(request):
    """Baseline: the 50 oldest highest-priority submitted cases, one query on app_queue_idx, no template."""
    rows = Application.objects.filter(state="submitted", product="kandas_card").order_by("priority", "submitted_at")
    rows = rows.values_list("pk", "reference", "applicant_name", "scoring__score")[:50]
    return HttpResponse("\n".join(f"{pk}\t{ref}\t{name}\t{score}" for pk, ref, name, score in rows))


urlpatterns = [path("bench/bare/", bare_queue), *portal_urlpatterns]
