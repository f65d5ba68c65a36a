"""Mail intake: raw RFC 5322 messages read, split, classified; pure code, no I/O.

parse (bytes -> ParsedMail), text (new words vs. quotes, signature, forwards),
classify (new, follow_up, auto_reply, bounce, list, empty), reading (all three,
as ingestion and `welcomedesk mail inspect` use them).
"""
