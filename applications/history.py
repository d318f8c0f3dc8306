"""A case's history in words: the audit codes (``document.upload``, ``start_review``) and state
codes never reach a page. The case page (and any staff view of audit events) calls
``history_text``; an action not listed reads as a general change, not as its code.
"""

from django.utils.translation import gettext_lazy as _

from applications.states import State

ACTION_LABELS = {
    "draft_started": _("Application started"),
    "draft_expired": _("Draft deleted after it expired"),
    "submit": _("Application submitted"),
    "documents_checked": _("Documents checked"),
    "claim": _("Case claimed"),
    "release": _("Case put back in the queue"),
    "reassign": _("Case reassigned"),
    "start_review": _("Review started"),
    "resume_review": _("Review resumed"),
    "request_info": _("Information requested from the applicant"),
    "reply": _("The applicant replied"),
    "note": _("Internal note added"),
    "recommend": _("Decision recommended"),
    "send_back": _("Recommendation sent back"),
    "approve": _("Approval confirmed"),
    "waitlist": _("Put on the waiting list for a quota place"),
    "refuse": _("Refusal confirmed"),
    "release_waitlisted": _("Released from the waiting list"),
    "review_request": _("Review of the refusal requested"),
    "review_start": _("Review of the refusal taken up"),
    "review_uphold": _("Refusal upheld on review"),
    "review_overturn": _("Refusal overturned on review: back for a new decision"),
    "review_withdraw": _("Review request withdrawn"),
    "issue": _("Card issued"),
    "withdraw": _("Application withdrawn"),
    "sla_escalate": _("Deadline passed: seniors told"),
    "document.upload": _("Document uploaded"),
    "document.processed": _("Document checked"),
    "document.deleted": _("Document deleted"),
    "document.combined": _("Document pages combined into one PDF"),
    "document.view": _("Document viewed"),
    "document.view_details": _("Document details viewed"),
    "document.view_thumbnail": _("Document preview viewed"),
    "document.download": _("Document downloaded"),
    "document.download_original": _("Original document downloaded"),
    "card.revoke": _("Card revoked"),
    "card.expire": _("Card expired"),
    "card.share_code": _("Share code created"),
    "card.photo_view": _("Card photo viewed"),
    "card.address": _("Address registered"),
    "card.employer": _("Employer registered"),
    "card.renewal_start": _("Renewal started"),
    "application_erased": _("Personal data erased"),
    "application.score": _("Score recorded"),
    "decision_letter.view": _("Decision letter viewed"),
    "card.view": _("Card viewed"),
    "stay.import": _("Border records imported"),
    "stay.declare": _("Absence declared by the holder"),
    "stay.view": _("Stay timeline viewed"),
    "card.pdf_view": _("Card PDF viewed"),
    "admin.list": _("List viewed in the administration pages"),
    "admin.view": _("Record viewed in the administration pages"),
    "admin.add": _("Added in the administration pages"),
    "admin.change": _("Changed in the administration pages"),
    "admin.delete": _("Deleted in the administration pages"),
    "admin.action": _("Bulk action in the administration pages"),
    "case.search": _("Cases searched"),
    "audit.verify": _("Audit trail check requested"),
    "audit.export": _("Audit trail exported"),
    "phone.code_sent": _("Phone verification code sent"),
    "phone.code_refused": _("Phone verification code refused: too many requests"),
    "phone.code_failed": _("Wrong or expired phone verification code"),
    "phone.verified": _("Phone number verified"),
    "phone.removed": _("Phone number removed"),
    "employer.signed_up": _("Employer signed up"),
    "employer.verified": _("Employer verified"),
    "employer.refused": _("Employer refused"),
    "joboffer.request": _("Employer asked to confirm the job offer"),
    "joboffer.confirm": _("Job offer confirmed by the employer"),
    "joboffer.decline": _("Job offer declined by the employer"),
    "employment.start": _("Start of work reported by the employer"),
    "employment.change": _("Change of employment reported by the employer"),
    "employment.end": _("End of employment reported by the employer"),
    "statistics.release": _("Monthly statistics published"),
    "forecasts.refit": _("Forecasts refitted"),
}
GENERAL_CHANGE = _("Change recorded")


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, GENERAL_CHANGE))


def state_label(code: str) -> str:
    try:
        return str(State(code).label)
    except ValueError:
        return str(GENERAL_CHANGE)


def history_text(event) -> str:
    """ "Review started (Submitted → In review)": the action and the states, in words."""
    action = event.action
    if action == "release" and event.from_state == State.WAITLISTED:  # the workflow's, not un-claiming
        action = "release_waitlisted"
    text = action_label(action)
    if event.from_state or event.to_state:
        states = " → ".join(state_label(code) for code in (event.from_state, event.to_state) if code)
        text = f"{text} ({states})"
    return text
