"""The criteria set's Rescore page: old vs new for the applications stamped with the set, then
apply. Served under the criteria set admin's URL (``admin:eligibility_criteriaset_rescore``)
through ``eligibility.hooks``, because eligibility does not know applications."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from applications.models import Application
from applications.scoring.rescoring import rescore_pool
from applications.scoring.services import rescore_preview
from applications.states import UNDECIDED_STATES
from eligibility.models import CriteriaSet

PREVIEW_ROWS = 500


def rescore_view(model_admin: admin.ModelAdmin, request: HttpRequest, criteria_set: CriteriaSet) -> HttpResponse:
    """GET: the applications whose result would change; POST: rescore them (score, priority,
    audit through the one writer, ``applications.scoring.writer.scores_write``)."""
    cs = criteria_set
    if request.method == "POST":
        if not request.user.has_perm("eligibility.change_criteriaset"):
            return HttpResponse(status=403)
        stats = rescore_pool(criteria_set=cs, states=UNDECIDED_STATES, only_stamped=True, actor=request.user)
        model_admin.message_user(
            request,
            _("Rescored %(rows)s applications; %(changed)s changed.") % {"rows": stats.rows, "changed": stats.changed},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:eligibility_criteriaset_rescore", args=[cs.pk]))
    apps = (
        Application.objects.filter(criteria_set=cs, state__in=UNDECIDED_STATES)
        .select_related("scoring")
        .order_by("pk")[:PREVIEW_ROWS]
    )
    rows = rescore_preview(applications=apps, criteria_set=cs)
    return render(
        request,
        "admin/scoring/rescore.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "criteria_set": cs,
            "rows": [r for r in rows if r["changed"]],
            "checked": len(rows),
            "can_apply": request.user.has_perm("eligibility.change_criteriaset"),
        },
    )
