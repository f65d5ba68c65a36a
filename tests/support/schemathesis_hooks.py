"""Loaded by the schemathesis command of the OpenAPI test (SCHEMATHESIS_HOOKS): raw mail
(message/rfc822) is sent as the bytes schemathesis generates, as for octet streams."""

from __future__ import annotations

import schemathesis

schemathesis.serializer.alias("message/rfc822", "application/octet-stream")
