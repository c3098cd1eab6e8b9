from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.security import HttpBearer, django_auth

from qlvb.organization.models import Unit

from . import selectors, services
from .models import ApiToken

router = Router(tags=["Báo cáo"])


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: read-only access to reports, never to documents."""

    def authenticate(self, request, token):
        return services.token_holder(token)


class Indicator(Schema):
    key: str
    name: str
    formula: str
    numerator: int | None
    denominator: int | None
    value: float | None


class Summary(Schema):
    start: date
    end: date
    unit_id: int | None
    received: dict
    outgoing: dict
    excludes_confidential: bool
    indicators: list[Indicator]


def _summary(period):
    incoming, outgoing = selectors.incoming_counts(period), selectors.outgoing_figures(period)
    return {"start": period.start, "end": period.end, "unit_id": period.unit.pk if period.unit else None,
            "received": incoming, "outgoing": outgoing,
            "excludes_confidential": settings.QLVB_ICT_EXCLUDE_CONFIDENTIAL,
            "indicators": [{**row, "name": str(row["name"]), "formula": str(row["formula"])}
                           for row in selectors.ict_indicators(period, incoming, outgoing)]}


@router.get("/summary", response=Summary, auth=[TokenAuth(), django_auth], summary="Số liệu báo cáo và chỉ số ICT")
def summary(request, start: date, end: date, unit_id: int | None = None):
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
    if isinstance(request.auth, ApiToken):
        if end < start:
            raise ValidationError(_("Chọn khoảng thời gian hợp lệ (từ ngày ≤ đến ngày)."))
        period = selectors.Period(start=start, end=end, unit=unit)
    else:
        period = services.period_for(actor=request.user, start=start, end=end, unit=unit)
    return _summary(period)

