"""The SMTP side of the lab on aiosmtpd: a submission server beside the POP3 server that delivers into the same
store (the lab's accounts only, no relay), with STARTTLS and AUTH PLAIN/LOGIN from aiosmtpd itself. No SMTP
parsing of our own: aiosmtpd reads the commands, this package decides and delivers."""

from __future__ import annotations

from poplab.smtp.events import SmtpEvent, SmtpObserver
from poplab.smtp.handler import LabHandler
from poplab.smtp.service import SmtpServer, SmtpThread
from poplab.smtp.settings import DEFAULT_SMTP_PORT, SmtpSettings

__all__ = ["DEFAULT_SMTP_PORT", "LabHandler", "SmtpEvent", "SmtpObserver", "SmtpServer", "SmtpSettings", "SmtpThread"]
