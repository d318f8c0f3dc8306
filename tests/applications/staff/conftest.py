from tests.applications.casework.conftest import make_case  # noqa: F401 - the case builder fixture
