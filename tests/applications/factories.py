"""Test data builders for applications (factory_boy)."""

import factory

from applications.models import Application
from eligibility.products import Product


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    product = Product.KANDAS_CARD
    applicant_name = factory.Faker("name")
    answers = factory.LazyFunction(dict)
