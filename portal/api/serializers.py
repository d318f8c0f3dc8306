"""Serializer base classes shared by the API modules."""

from rest_framework import serializers


class ReadModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose read-only fields keep what the model allows (blank, null),
    so the OpenAPI schema documents the values responses really contain."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if "choices" in kwargs and getattr(model_field, "blank", False):
            kwargs["allow_blank"] = True
        if getattr(model_field, "null", False):
            kwargs["allow_null"] = True
        return field_class, kwargs

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        allow_blank = kwargs.get("allow_blank")
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank and "choices" in kwargs:
            kwargs["allow_blank"] = True  # DRF drops it for read-only fields
        return kwargs
