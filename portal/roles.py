"""Staff and applicant roles, held as Django groups created by a data migration.

Each role maps to the model permissions its members need; object-level rules (own data
only, own queues only) live in the access gates (applications/access.py).
"""

from django.utils.translation import gettext_lazy as _

APPLICANT = "applicant"
CASEWORKER = "caseworker"
SENIOR_CASEWORKER = "senior_caseworker"
CRITERIA_ADMIN = "criteria_admin"
AUDITOR = "auditor"
# Employers (issue 19): an organisation's contact account; sees only its own organisation.
EMPLOYER = "employer"
# Analytics (issue 17): the ministry's analyst reads dashboards of aggregates, never a person.
ANALYST = "analyst"

ROLE_LABELS = {
    APPLICANT: _("Applicant"),
    CASEWORKER: _("Caseworker"),
    SENIOR_CASEWORKER: _("Senior caseworker"),
    CRITERIA_ADMIN: _("Criteria administrator"),
    AUDITOR: _("Auditor"),
    EMPLOYER: _("Employer"),
    ANALYST: _("Analyst"),
}
STAFF_ROLES = frozenset({CASEWORKER, SENIOR_CASEWORKER, CRITERIA_ADMIN, AUDITOR, ANALYST})
CASEWORK_ROLES = frozenset({CASEWORKER, SENIOR_CASEWORKER})

# (app_label, codename) per role. Codenames of models added later are granted by the
# migration that creates them (see grant_role_permissions).
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    APPLICANT: [],
    # Object rules only (applications/employers/access.py): no model permissions.
    EMPLOYER: [],
    CASEWORKER: [
        ("applications", "view_application"),
        ("applications", "view_document"),
        ("applications", "work_cases"),
    ],
    SENIOR_CASEWORKER: [
        ("applications", "view_application"),
        ("applications", "view_document"),
        ("applications", "work_cases"),
        ("applications", "decide_cases"),
        ("applications", "view_original_document"),
    ],
    CRITERIA_ADMIN: [
        ("eligibility", "view_criteriaset"),
        ("eligibility", "add_criteriaset"),
        ("eligibility", "change_criteriaset"),
        ("eligibility", "view_region"),
        ("eligibility", "change_region"),
        ("eligibility", "view_occupation"),
        # Casework (issue 6): quotas, allocation rounds and the list of legal grounds.
        ("eligibility", "view_quota"),
        ("eligibility", "add_quota"),
        ("eligibility", "change_quota"),
        ("eligibility", "view_allocationround"),
        ("eligibility", "add_allocationround"),
        ("applications", "view_legalground"),
        ("applications", "add_legalground"),
        ("applications", "change_legalground"),
    ],
    AUDITOR: [
        ("audit", "view_auditevent"),
        ("applications", "view_application"),
        ("eligibility", "view_quota"),
        ("eligibility", "view_allocationround"),
    ],
}


def roles_of(user) -> set[str]:
    """Names of the role groups the user belongs to (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._portal_roles = cached
    return cached


def has_role(user, *names: str) -> bool:
    return bool(roles_of(user) & set(names))


def grant_role_permissions(apps, schema_editor) -> None:
    """Create the role groups and grant them the permissions that exist so far.

    Called from data migrations (RunPython); safe to run again as models are added.
    """
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        for app_label, codename in perms:
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                group.permissions.add(perm)


# Issued cards (issue 7): caseworkers and auditors see cards, seniors also revoke them.
ROLE_PERMISSIONS[CASEWORKER].append(("applications", "view_issuedcard"))
ROLE_PERMISSIONS[SENIOR_CASEWORKER] += [("applications", "view_issuedcard"), ("applications", "revoke_card")]
ROLE_PERMISSIONS[AUDITOR].append(("applications", "view_issuedcard"))

# Labour-market data and the shortage model (issue 17): criteria admins import data and set
# the weights (each save a new version); proposals are pages, gated by role.
ROLE_PERMISSIONS[CRITERIA_ADMIN] += [
    ("labour_market", "view_labourmarketimport"),
    ("labour_market", "add_labourmarketimport"),
    ("labour_market", "view_shortagemodel"),
    ("labour_market", "add_shortagemodel"),
]

# Analytics dashboards (issue 17): aggregates only. The analyst holds nothing else; criteria
# admins and auditors read the same dashboards (applications/analytics/access.py).
ANALYTICS_ROLES = frozenset({ANALYST, CRITERIA_ADMIN, AUDITOR})
ROLE_PERMISSIONS[ANALYST] = [("analytics", "view_dashboards")]
ROLE_PERMISSIONS[CRITERIA_ADMIN].append(("analytics", "view_dashboards"))
ROLE_PERMISSIONS[AUDITOR].append(("analytics", "view_dashboards"))
