"""The agency's and external agencies' identifiers (mã định danh) take one of the two formats of
regulations-detail §3.1: QCVN 102:2016 (000.00.00.H49) or Decision 20/2020/QĐ-TTg (H01.151)."""

import pytest
from django.core.exceptions import ValidationError

from qlvb.documents.models import ExternalAgency
from qlvb.organization.models import Agency

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Agency, ExternalAgency])
def test_the_admin_forms_accept_both_formats_and_refuse_others(demo, model):
    item = model.objects.first() or ExternalAgency.objects.create(name="UBND tỉnh Bắc Kạn")
    for good in ("000.00.15.H03", "H01.151", ""):
        item.identifier = good
        item.full_clean()
    item.identifier = "UBND-BK"
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "UBND-BK" in refused.value.message_dict["identifier"][0]
