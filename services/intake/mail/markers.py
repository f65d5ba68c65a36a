"""The lines mail programs write around a reply or a forward, in the region's languages.

Gmail, Outlook, Apple Mail and Thunderbird write these in the user's interface
language; the lists cover the languages the Welcome Center's enquirers write in
(and a few neighbours) as far as the programs' translations are known.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# "---------- Forwarded message ---------" (Gmail), "-------- Weitergeleitete Nachricht
# --------" (Thunderbird), "Begin forwarded message:" (Apple Mail).
FORWARD = re.compile(
    r"^\s*(?:-{2,}\s*)?(?:"
    r"forwarded message|original message follows|weitergeleitete nachricht|"
    r"message transf[ée]r[ée]|mensaje reenviado|mensagem encaminhada|messaggio inoltrato|"
    r"doorgestuurd bericht|przekazana wiadomo[śs][ćc]|wiadomo[śs][ćc] przekazana|"
    r"iletilen (?:ileti|mesaj)|пересылаемое сообщение|пересланное сообщение|"
    r"переслане повідомлення|пересланий лист|препратено съобщение|препратено писмо|"
    r"mesaj (?:redirec[țţt]ionat|transmis)|رسالة (?:معاد توجيهها|محولة)|پیام (?:هدایت|ارسال) شده|"
    r"thư (?:được )?chuyển tiếp|转发的邮件|轉寄的郵件|"
    r"begin forwarded message|anfang der weitergeleiteten nachricht|"
    r"d[ée]but du message r[ée]exp[ée]di[ée]|inicio del mensaje reenviado|"
    r"in[íi]cio da mensagem reencaminhada|inizio messaggio inoltrato|"
    r"начало переадресованного сообщения|początek przekazywanej wiadomości"
    r")\s*:?\s*(?:-{2,})?\s*$",
    _I,
)
# "-----Original Message-----" (Outlook), "-------- Original-Nachricht --------".
ORIGINAL = re.compile(
    r"^\s*-{2,}\s*(?:"
    r"original message|original email message|ursprüngliche nachricht|original[- ]nachricht|"
    r"message d'origine|message original|mensaje original|mensagem original|"
    r"messaggio originale|oorspronkelijk bericht|wiadomo[śs][ćc] oryginalna|"
    r"исходное сообщение|оригінальне повідомлення|original mesaj|orijinal mesaj|"
    r"оригинално съобщение|mesajul original|الرسالة الأصلية|پیام اصلی|原始邮件|原始郵件"
    r")\s*-{2,}\s*$",
    _I,
)
# The fields of a quoted header block ("From: ... Sent: ... To: ... Subject: ...").
FIELD_FROM = re.compile(
    r"^\s*[*>]*\s*(?:from|von|de|da|van|od|от|від|kimden|gönderen|expéditeur|"
    r"remetente|mittente|absender|من|از|từ|发件人|寄件者)\s*\*?\s*:\s*(.+)$",
    _I,
)
FIELD_OTHER = re.compile(
    r"^\s*[*>]*\s*(?:sent|date|gesendet|datum|envoy[ée]|enviado|inviato|data|verzonden|"
    r"wysłano|отправлено|дата|надіслано|изпратено|gönderildi|tarih|trimis|"
    r"to|an|à|para|a|aan|do|кому|kime|până la|cc|kopie|"
    r"subject|betreff|objet|asunto|assunto|oggetto|onderwerp|temat|тема|konu|subiect|"
    r"موضوع|الموضوع|تاريخ|ارسال شده|chủ đề|ngày|主题|日期|收件人)\s*\*?\s*:",
    _I,
)
FIELD_SUBJECT = re.compile(
    r"^\s*[*>]*\s*(?:subject|betreff|objet|asunto|assunto|oggetto|onderwerp|temat|тема|"
    r"konu|subiect|موضوع|الموضوع|chủ đề|主题)\s*\*?\s*:\s*(.*)$",
    _I,
)
# "On Mon, 2 Feb 2026 at 10:00, Ana <ana@example.org> wrote:" and its translations.
# The verb that ends "On ... <ana@example.org> wrote:" (before the colon), lower case.
WROTE = (
    "wrote", "wrote the following", "schrieb", "a écrit", "escribió", "escreveu",
    "ha scritto", "schreef", "napisał(a)", "napisał", "napisała", "pisze", "пишет",
    "написал(а)", "написал", "написала", "пише", "написав", "написа", "yazdı", "a scris",
    "كتب", "نوشت", "đã viết", "写道", "寫道",
)  # fmt: skip
# A reply header in any language: it names an address or a time and ends with a colon.
HEADERISH = re.compile(r"(?:<?[^\s<>@]+@[^\s<>@]+>?|\d{1,2}:\d{2}).*[:：]\s*$")
FORWARD_SUBJECT = re.compile(
    r"^\s*(?:\[[^\]]*\]\s*)?(?:(?:re|aw|sv|antw|odp|ynt|rif|res)\s*:\s*)*"
    r"(?:fwd?|wg|tr|rv|enc|doorst|pd|i|wd|İlt|ilt|пересл|пер|fw)\s*:",
    _I,
)
OUTLOOK_RULE = re.compile(r"^\s*_{20,}\s*$")
SIGNATURE = re.compile(r"^-- ?$")
MOBILE = re.compile(
    r"^\s*(?:sent from my|von meinem|gesendet von|enviado desde|envoyé de mon|inviato da|"
    r"verzonden vanaf|wysłane z|отправлено с|надіслано з|get outlook for|"
    r"diese nachricht wurde von meinem)\b.{0,60}$",
    _I,
)
FOOTER = re.compile(
    r"^\s*(?:[*_=-]{3,}\s*)?(?:"
    r"this (?:e-?mail|message|communication)(?: and any attachments?)?"
    r" (?:is|are|may|contains?) .{0,40}(?:confidential|privileged|intended)|"
    r"confidentiality notice|disclaimer\s*:|privileged/confidential|"
    r"the information (?:contained )?in this (?:e-?mail|message)|"
    r"diese (?:e-?mail|nachricht)(?: und (?:alle|eventuelle|etwaige) anhänge?)?"
    r" (?:enthält|ist|kann) .{0,40}(?:vertraulich|rechtlich geschützt)|"
    r"der inhalt dieser (?:e-?mail|nachricht) ist vertraulich|vertraulichkeitshinweis|"
    r"wenn sie nicht der richtige adressat sind|"
    r"ce (?:message|courriel|e-?mail) (?:et .{0,30})?(?:est|sont) (?:confidentiel|strictement)|"
    r"este (?:mensaje|correo) .{0,40}confidencial|questo messaggio .{0,40}riservat|"
    r"please consider the environment|bitte denken sie an die umwelt|"
    r"sitz der gesellschaft|registergericht|amtsgericht \w+,? hrb|geschäftsführer(?:in)?:|"
    r"_{10,}\s*$"
    r")",
    _I,
)
