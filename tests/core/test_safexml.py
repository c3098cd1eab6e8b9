import pytest
from django.core.exceptions import ValidationError

from qlvb.core.safexml import parse

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<edXML><Subject>&xxe;</Subject></edXML>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<lolz>&lol3;</lolz>"""


@pytest.mark.parametrize("payload", [XXE, BILLION_LAUGHS])
def test_entity_attacks_are_refused(payload):
    with pytest.raises(ValidationError, match="XXE"):
        parse(payload)


def test_malformed_and_oversized_xml_refused():
    with pytest.raises(ValidationError, match="cú pháp"):
        parse(b"<edXML><unclosed></edXML>")
    with pytest.raises(ValidationError, match="quá lớn"):
        parse(b"<a/>" * 10, max_bytes=10)


def test_plain_edxml_parses():
    root = parse("<edXML><Subject>Công văn số 12</Subject></edXML>".encode())
    assert root.find("Subject").text == "Công văn số 12"
