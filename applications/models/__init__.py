from applications.models.application import Application, ApplicationScore, ReferenceCounter
from applications.models.cards import (  # noqa: F401
    CardAddress,
    CardCheck,
    CardEmployer,
    CardNumberCounter,
    CardShareCode,
    IssuedCard,
)
from applications.models.casework import AdministrativeReview, CaseNote, Decision, LegalGround, RequestForInformation
from applications.models.documents import Document
from applications.models.notifications import Notification
from applications.models.queues import Queue
from applications.models.sms import PhoneNumber

__all__ = [
    "AdministrativeReview",
    "Application",
    "ApplicationScore",
    "CaseNote",
    "Decision",
    "Document",
    "LegalGround",
    "Notification",
    "PhoneNumber",
    "Queue",
    "ReferenceCounter",
    "RequestForInformation",
]
