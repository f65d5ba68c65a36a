"""Subjects and senders that machines write: bounces and auto-replies, in many languages."""

from __future__ import annotations

import re

_I = re.IGNORECASE
_START = r"^\s*(?:[\[(]\s*)?(?:(?:re|aw|fw|fwd|wg)\s*:\s*)?"

BOUNCE_SUBJECT = re.compile(
    _START + r"(?:"
    r"undelivered mail|undeliverable|undelivered|returned mail|mail delivery failed|"
    r"delivery status notification|delivery failure|delivery failed|delivery has failed|"
    r"failure notice|mail system error|message not delivered|non-?deliverable|"
    r"delivery notification|delivery (?:report|problem)|could not (?:be )?deliver|"
    r"warning: could not send message|delayed mail|delivery delayed|mail delivery problem|"
    r"unzustellbar|nicht zustellbar|rückläufer|zustellung (?:verzögert|fehlgeschlagen)|"
    r"fehler bei der zustellung|benachrichtigung zum übermittlungsstatus|"
    r"nachricht konnte nicht zugestellt|"
    r"non remis|non distribuable|[ée]chec de (?:la )?remise|notification d'[ée]tat de remise|"
    r"no se puede entregar|notificaci[óo]n de estado de entrega|mensaje no entregado|"
    r"non recapitabile|impossibile recapitare|notifica dello stato di consegna|"
    r"n[ãa]o [ée] poss[íi]vel entregar|notifica[çc][ãa]o de status de entrega|"
    r"onbestelbaar|kan niet worden bezorgd|"
    r"niedostarczaln|niedostarczon|powiadomienie o stanie dostarczenia|"
    r"недоставляем|не удается доставить|не доставлено|уведомление о статусе доставки|"
    r"неможливо доставити|недоставен|недоставим|"
    r"teslim edilemedi|iletilemeyen|teslim durumu bildirimi|"
    r"nelivrabil|nu s-a putut livra|nedoručiteln|"
    r"تعذر التسليم|لم يتم التسليم|退信|未送达|无法投递"
    r")",
    _I,
)
DELAY_SUBJECT = re.compile(
    r"\(delay\)|delayed|verzögert|still being retried|could not send message for past|"
    r"\(retraso\)|\(retard\)|\(ritardo\)|\(opóźnienie\)|\(задержка\)",
    _I,
)
AUTO_REPLY_SUBJECT = re.compile(
    _START + r"(?:"
    r"out of (?:the )?office|automatic reply|auto[- ]?reply|auto[- ]?response|autoresponder|"
    r"on vacation|vacation reply|away from (?:the )?office|"
    r"(?:i am|i'm) (?:out of|away)|"
    r"automatische antwort|abwesen\w*|urlaubsabwesenheit|automatische rückantwort|"
    r"au(?:ß|ss)er haus|nicht im (?:büro|haus)|"
    r"r[ée]ponse automatique|absence du bureau|absent du bureau|"
    r"respuesta autom[áa]tica|fuera de la oficina|"
    r"risposta automatica|fuori sede|fuori ufficio|"
    r"resposta autom[áa]tica|ausente do escrit[óo]rio|fora do escrit[óo]rio|"
    r"automatisch antwoord|afwezig|"
    r"odpowied[źz] automatyczna|automatyczna odpowied[źz]|poza biurem|"
    r"автоответ|автоматический ответ|нет на месте|вне офиса|"
    r"автовідповідь|автоматична відповідь|"
    r"otomatik yan[ıi]t|otomatik cevap|ofis d[ıi][şs][ıi]nda|"
    r"r[ăa]spuns automat|автоматичен отговор|извън офиса|"
    r"رد تلقائي|الرد التلقائي|پاسخ خودکار|trả lời tự động|自动回复|自動回覆|自動返信|स्वचालित उत्तर"
    r")",
    _I,
)
SYSTEM_SENDER = re.compile(
    r"^(?:mailer[-_]?daemon|mail[-_]?daemon|postmaster|mail[-_]?delivery[-_]?(?:system|subsystem))@",
    _I,
)
SYSTEM_NAME = re.compile(r"^(?:mail delivery (?:system|subsystem)|mailer[- ]daemon)$", _I)
ENHANCED_STATUS = re.compile(r"(?<![\d.])(?P<status>[245]\.\d{1,3}\.\d{1,3})(?![\d.])")
SMTP_WITH_STATUS = re.compile(r"\b[245]\d\d[ -](?:#)?(?P<status>[245]\.\d{1,3}\.\d{1,3})(?![\d.])")
SMTP_CODE = re.compile(r"(?:^|[\s(:])([45][0-5]\d)[\s-]", re.MULTILINE)
MESSAGE_ID_LINE = re.compile(r"^\s*>?\s*Message-ID:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
REFERENCE = re.compile(r"(?<![A-Za-z0-9])WC-(\d{4})-(\d{6,9})(?![0-9])", _I)
