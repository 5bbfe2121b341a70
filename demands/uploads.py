"""What a demand's attachments may be: the evidence policy of ``sanfu.lib.evidence``,
which the ledgers, inspections and unit plans share."""

from sanfu.lib.evidence import ALLOWED, CheckedUpload, check_upload

__all__ = ["ALLOWED", "CheckedUpload", "check_upload"]
