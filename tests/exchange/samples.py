"""Packages written by hand from the standard's structure (regulations-detail §3.2–3.3), not by our writer."""

import base64

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Shaped like the official sample: default namespace on the root, edXML: prefixes in the envelope,
# the sample's element order (DocumentId before Code, SteeringType before ToPlaces), an XML-DSig
# Signature unprefixed in the header, attachments unprefixed outside the envelope, an element we do
# not know (kept aside), whitespace around values and inside the base64.
SAMPLE = """<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016" xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"
       xmlns:xlink="http://www.w3.org/1999/xlink">
  <edXML:edXMLEnvelope>
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From>
          <edXML:OrganId>000.00.00.G22</edXML:OrganId>
          <edXML:OrganizationInCharge>Chính phủ</edXML:OrganizationInCharge>
          <edXML:OrganName>Văn phòng Chính phủ</edXML:OrganName>
          <edXML:OrganAdd>1 Hoàng Hoa Thám, Hà Nội</edXML:OrganAdd>
          <edXML:Email>vpcp@chinhphu.vn</edXML:Email>
          <edXML:Telephone>080 43162</edXML:Telephone>
          <edXML:Fax/>
          <edXML:Website>chinhphu.vn</edXML:Website>
        </edXML:From>
        <edXML:To>
          <edXML:OrganId> {to} </edXML:OrganId>
          <edXML:OrganName>Sở Giao thông vận tải</edXML:OrganName>
        </edXML:To>
        <edXML:DocumentId>000.00.00.G22,2015/09/30,7816/VPCP-TTĐT</edXML:DocumentId>
        <edXML:Code>
          <edXML:CodeNumber>7816</edXML:CodeNumber>
          <edXML:CodeNotation>VPCP-TTĐT</edXML:CodeNotation>
        </edXML:Code>
        <edXML:PromulgationInfo>
          <edXML:Place>Hà Nội</edXML:Place>
          <edXML:PromulgationDate>30/09/2015</edXML:PromulgationDate>
        </edXML:PromulgationInfo>
        <edXML:DocumentType>
          <edXML:Type>1</edXML:Type>
          <edXML:TypeDetail>0</edXML:TypeDetail>
          <edXML:TypeName>Công văn</edXML:TypeName>
        </edXML:DocumentType>
        <edXML:Subject>V/v triển khai Cổng thông tin điện tử</edXML:Subject>
        <edXML:Content>Nội dung tóm tắt</edXML:Content>
        <edXML:SignerInfo>
          <edXML:Competence>KT. BỘ TRƯỞNG, CHỦ NHIỆM</edXML:Competence>
          <edXML:Position>Phó Chủ nhiệm</edXML:Position>
          <edXML:FullName>Nguyễn Văn A</edXML:FullName>
        </edXML:SignerInfo>
        <edXML:DueDate>2015/10/15</edXML:DueDate>
        <edXML:OtherInfo>
          <edXML:Priority>1</edXML:Priority>
          <edXML:SphereOfPromulgation>Liên thông văn bản quốc gia</edXML:SphereOfPromulgation>
          <edXML:TyperNotation>TVC</edXML:TyperNotation>
          <edXML:PromulgationAmount>10</edXML:PromulgationAmount>
          <edXML:PageAmount>2</edXML:PageAmount>
          <edXML:Direction>false</edXML:Direction>
          <edXML:Appendixes><edXML:Appendix>Phụ lục I</edXML:Appendix></edXML:Appendixes>
        </edXML:OtherInfo>
        <edXML:SteeringType>1</edXML:SteeringType>
        <edXML:ToPlaces>
          <edXML:Place>Các Bộ, cơ quan ngang Bộ</edXML:Place>
          <edXML:Place>UBND các tỉnh</edXML:Place>
        </edXML:ToPlaces>
      </edXML:MessageHeader>
      <edXML:TraceHeaderList>
        <edXML:TraceHeader>
          <edXML:OrganId>000.00.00.G22</edXML:OrganId>
          <edXML:Timestamp>2015/09/30 10:20:30</edXML:Timestamp>
        </edXML:TraceHeader>
        <edXML:Bussiness>
          <edXML:BussinessDocType>0</edXML:BussinessDocType>
          <edXML:BussinessDocReason></edXML:BussinessDocReason>
          <edXML:Paper>0</edXML:Paper>
        </edXML:Bussiness>
      </edXML:TraceHeaderList>
      <Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/><SignatureValue>AAAA</SignatureValue></Signature>
    </edXML:edXMLHeader>
    <edXML:edXMLBody>
      <edXML:edXMLManifest version="1.0">
        <edXML:Reference xlink:href="cid:1">
          <edXML:ContentId>1</edXML:ContentId>
          <edXML:ContentType>application/pdf</edXML:ContentType>
          <edXML:Description>Văn bản</edXML:Description>
          <edXML:AttachmentName>7816-VPCP.pdf</edXML:AttachmentName>
        </edXML:Reference>
      </edXML:edXMLManifest>
    </edXML:edXMLBody>
  </edXML:edXMLEnvelope>
  <AttachmentEncoded>
    <Attachment>
      <ContentId>1</ContentId>
      <AttachmentName>7816-VPCP.pdf</AttachmentName>
      <Description>Văn bản</Description>
      <ContentType>application/pdf</ContentType>
      <edXML:ContentTransferEncoded>
{content}
      </edXML:ContentTransferEncoded>
    </Attachment>
  </AttachmentEncoded>
</edXML>
"""


def sample(to="000.00.15.H03", content=PDF) -> bytes:
    encoded = base64.encodebytes(content).decode()  # 76-character lines, as mail-style encoders write
    return SAMPLE.format(to=to, content=encoded).encode()


STATUS = """<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
 <edXMLEnvelope><edXMLHeader><Status>
  <StatusCode>3</StatusCode>
  <Description>Đã vào sổ văn bản đến</Description>
  <From><OrganId>{sender}</OrganId><OrganName>UBND tỉnh Bắc Kạn</OrganName></From>
  <ResponseFor><OrganId>{origin}</OrganId><Code>{code}</Code><PromulgationDate>{date}</PromulgationDate>
   <DocumentId>{document_id}</DocumentId></ResponseFor>
  <Timestamp>2026/12/03 09:00:00</Timestamp>
  <StaffInfo><Department>Văn phòng</Department><Staff>Lê Thị Văn Thư</Staff><Mobile>0912</Mobile>
   <EmailAddress>vt@backan.gov.vn</EmailAddress></StaffInfo>
 </Status></edXMLHeader></edXMLEnvelope>
</edXML>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader><MessageHeader>
<Subject>&xxe;</Subject></MessageHeader></edXMLHeader></edXMLEnvelope></edXML>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><Subject>&lol3;</Subject></edXML>"""


def declared_huge(to="000.00.15.H03") -> bytes:
    """An attachment declaring 2 GB before its content."""
    return sample(to).replace(b"<Attachment>", b'<Attachment size="2147483648">', 1)


def wrong_namespace(to="000.00.15.H03") -> bytes:
    return sample(to).replace(b'xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"', b'xmlns="http://example.com/x"')


MALFORMED = b"<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'><edXMLEnvelope></edXML>"
