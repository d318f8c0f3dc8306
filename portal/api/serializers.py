"""Serializer base classes shared by the API modules."""

from rest_framework import serializers
from rest_framework.utils import model_meta


# A ModelSerializer for responses: every field is read-only unless the subclass's Meta
# names its own ``read_only_fields`` (then only those are), and read-only fields keep what
# the model allows (blank, null), so the OpenAPI schema documents the values responses
# really contain. (A comment, not a docstring: drf-spectacular would copy a docstring into
# the description of every subclass's component.)
class ReadModelSerializer(serializers.ModelSerializer):
    def get_extra_kwargs(self):
        extra_kwargs = super().get_extra_kwargs()
        if getattr(self.Meta, "read_only_fields", None) is None:
            # Read-only by default: writes go through the services with their own serializers.
            for name in self.get_field_names(self._declared_fields, model_meta.get_field_info(self.Meta.model)):
                kwargs = dict(extra_kwargs.get(name, {}))
                kwargs["read_only"] = True
                kwargs.pop("required", None)
                extra_kwargs[name] = kwargs
        return extra_kwargs

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
