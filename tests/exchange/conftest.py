from tests.signing.conftest import admin_person, agency_credential, trusted  # noqa: F401 (fixtures)
