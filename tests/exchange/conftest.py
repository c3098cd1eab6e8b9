from tests.signing.conftest import admin_person, agency_credential, softhsm, trusted  # noqa: F401 (fixtures)
