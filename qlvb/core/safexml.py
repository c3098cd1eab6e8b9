"""The only way XML from outside (edXML packages, status messages) is parsed: no DTDs, no entity
expansion, no external or network access, bounded size."""

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_XML_BYTES = 20 * 1024 * 1024


def parse(data: bytes, *, max_bytes: int = MAX_XML_BYTES) -> Element:
    """Parse untrusted XML, or raise ValidationError with a Vietnamese message."""
    if len(data) > max_bytes:
        raise ValidationError(_("Tệp XML quá lớn."))
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ValidationError(_("Tệp XML chứa khai báo DTD hoặc thực thể bị cấm (nguy cơ tấn công XXE).")) from exc
    except ParseError as exc:
        raise ValidationError(_("Tệp XML không đúng cú pháp.")) from exc
