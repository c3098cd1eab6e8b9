"""Why a package is refused. The library names the reason by a code with its parameters; the Django
layer (`qlvb.exchange.messages`) turns it into the Vietnamese sentence the clerk reads."""


class EdxmlError(ValueError):
    """A package refused: `code` says why (see qlvb/exchange/messages.py), `params` fills the message."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(f"{code}: {params}" if params else code)


# The reasons, one name each (also the keys of the Vietnamese messages).
TOO_LARGE = "too_large"                    # the package's bytes are over the limit
FORBIDDEN = "forbidden"                    # DTD, entity, external reference (XXE, billion laughs)
MALFORMED = "malformed"                    # not well-formed XML
WRONG_NAMESPACE = "wrong_namespace"        # root not an edXML element of a known namespace
NOT_EDXML = "not_edxml"                    # no MessageHeader nor Status
MISSING = "missing"                        # a mandatory element is absent or empty (param: field)
BAD_VALUE = "bad_value"                    # a value does not parse (params: field, value)
BAD_ORGAN_ID = "bad_organ_id"              # OrganId in neither format (params: field, value)
ATTACHMENT_TOO_LARGE = "attachment_too_large"  # declared or decoded size over the limit (name, size, limit)
ATTACHMENT_SIZE_MISMATCH = "attachment_size_mismatch"  # decoded bytes ≠ declared Size (name)
BAD_BASE64 = "bad_base64"                  # attachment content is not base64 (name)
TOO_MANY_ATTACHMENTS = "too_many_attachments"  # param: limit
