"""Fill the gaps of the zh-Hant gettext catalogues from their zh-Hans siblings.

Wagtail's (and some of Django's) zh_Hant catalogues translate only part of what
their zh_Hans catalogues do.  Django falls back from zh-hant to the default
language (zh-hans) and, through gettext's locale expansion, to the simplified
``zh`` catalogues Wagtail ships, so the traditional-Chinese admin shows a mix of
English and simplified text.  This module builds one catalogue per gettext domain
holding, converted to traditional characters, every message that no zh_Hant
catalogue translates but a zh_Hans one does; it lives in a ``LOCALE_PATHS``
directory, which Django merges above every installed app's catalogue.

The ``djangojs`` fill reaches the browser too: Wagtail's ``/admin/jsi18n/`` is
``JavaScriptCatalog.as_view(packages=["wagtail.admin"])`` (wagtail/admin/views/
i18n.py), and ``DjangoTranslation`` merges ``LOCALE_PATHS`` on top of the named
packages' catalogues whatever the packages are.

The project's own catalogues (``sanfu/locale``, the other ``LOCALE_PATHS``
entries) take part like an app's, with one difference: Django merges them above
every app, so their zh_Hans text is what zh-hans shows even for a msgid Wagtail
or Django translates too ("name", "title", "status"...).  Their zh-Hant form is
therefore always converted from that text, never left to the app's zh_Hant
catalogue, so the two scripts say the same thing.  The same module compiles
those catalogues' ``.mo`` files (see ``compile_catalogues``).

The module parses ``.po`` files and writes ``.po`` and ``.mo`` files itself, so
neither GNU gettext nor ``polib`` is needed to regenerate or check the files
(GNU gettext is needed only by ``makemessages``, to extract new strings).
"""

from __future__ import annotations

import os
import re
import struct
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DOMAINS: tuple[str, ...] = ("django", "djangojs")
SOURCE_LOCALE = "zh_Hans"
TARGET_LOCALE = "zh_Hant"
TEMPLATE_LOCALE = "en"
OUTPUT_DIR: Path = Path(__file__).resolve().parent / "locale_fill"
CONTEXT_SEPARATOR = "\x04"
PLURAL_SEPARATOR = "\x00"

Converter = Callable[[str], str]
#: (msgctxt, msgid, msgid_plural is set): the identity gettext looks messages up by;
#: a singular and a plural message with the same msgid are different lookups.
MessageKey = tuple[str | None, str, bool]


# --------------------------------------------------------------------------- #
# .po parsing
# --------------------------------------------------------------------------- #


class PoSyntaxError(ValueError):
    """A .po file could not be parsed; raised rather than guessing at its meaning."""


@dataclass(frozen=True)
class Message:
    """One catalogue entry, kept as close to its .po spelling as the fill needs."""

    msgid: str
    msgstr: tuple[str, ...]
    msgctxt: str | None = None
    msgid_plural: str | None = None
    flags: frozenset[str] = frozenset()
    comments: tuple[str, ...] = ()

    @property
    def key(self) -> MessageKey:
        """Identify the message the way the compiled catalogue's lookups do."""
        return (self.msgctxt, self.msgid, self.msgid_plural is not None)

    @property
    def is_header(self) -> bool:
        """Tell the metadata entry apart, as it is not a translatable message."""
        return self.msgid == "" and self.msgctxt is None

    @property
    def is_translated(self) -> bool:
        """Mirror msgfmt, which leaves fuzzy and empty entries out of the .mo."""
        return "fuzzy" not in self.flags and bool(self.msgstr) and all(self.msgstr)


_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    '"': '"',
    "'": "'",
    "?": "?",
}
_ESCAPE_RE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))", re.DOTALL)
_KEYWORD_RE = re.compile(
    r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s*(\".*)$", re.DOTALL
)


def _unquote(token: str, line_number: int) -> str:
    """Decode one C-style quoted .po string, as gettext's tools do."""
    token = token.strip()
    if len(token) < 2 or not token.startswith('"') or not token.endswith('"'):
        raise PoSyntaxError(f"line {line_number}: expected a quoted string")
    body = token[1:-1]

    def replace(match: re.Match[str]) -> str:
        octal, hexa, char = match.groups()
        if octal is not None:
            return chr(int(octal, 8))
        if hexa is not None:
            return chr(int(hexa, 16))
        if char in _ESCAPES:
            return _ESCAPES[char]
        raise PoSyntaxError(f"line {line_number}: unknown escape \\{char}")

    # An unescaped quote inside the body means the line held two strings.
    if re.search(r'(?<!\\)(?:\\\\)*"', body):
        raise PoSyntaxError(f"line {line_number}: stray quote in string")
    return _ESCAPE_RE.sub(replace, body)


@dataclass
class _Draft:
    """An entry being read; turned into a Message once the next entry starts."""

    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)
    started: bool = False

    def finish(self, line_number: int) -> Message | None:
        """Validate the entry's shape so a malformed file fails loudly."""
        if not self.started:
            return None
        if self.msgid is None:
            raise PoSyntaxError(f"entry ending at line {line_number} has no msgid")
        if not self.msgstr:
            raise PoSyntaxError(f"entry ending at line {line_number} has no msgstr")
        indices = sorted(self.msgstr)
        if indices != list(range(len(indices))):
            raise PoSyntaxError(f"entry ending at line {line_number}: msgstr gaps")
        return Message(
            msgid=self.msgid,
            msgstr=tuple(self.msgstr[i] for i in indices),
            msgctxt=self.msgctxt,
            msgid_plural=self.msgid_plural,
            flags=frozenset(self.flags),
            comments=tuple(self.comments),
        )


def parse_po(text: str) -> list[Message]:
    """Parse .po text into messages; obsolete (``#~``) entries are dropped.

    Written here instead of depending on polib: the format needed is small
    (comments, flags, msgctxt, plurals, multi-line strings, C escapes).
    """
    messages: list[Message] = []
    draft = _Draft()
    # which string a continuation line extends: ("msgid", None) or ("msgstr", n)
    current: tuple[str, int | None] | None = None
    # Whether the draft has reached its msgstr part: a comment or keyword that
    # follows it starts the next entry.
    in_msgstr = False

    def flush(line_number: int) -> None:
        nonlocal draft, current, in_msgstr
        message = draft.finish(line_number)
        if message is not None:
            messages.append(message)
        draft = _Draft()
        current = None
        in_msgstr = False

    def append(value: str) -> None:
        assert current is not None
        name, index = current
        if name == "msgstr":
            assert index is not None
            draft.msgstr[index] += value
        else:
            setattr(draft, name, getattr(draft, name) + value)

    for line_number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            if in_msgstr:
                flush(line_number)
            continue
        if line.startswith("#"):
            if in_msgstr:
                flush(line_number)
            current = None
            if line.startswith("#~"):
                continue  # obsolete entry: not part of the catalogue
            if line.startswith("#,"):
                draft.flags.update(
                    flag.strip() for flag in line[2:].split(",") if flag.strip()
                )
            elif line.startswith("#."):
                draft.comments.append(line[2:].strip())
            continue
        if line.startswith('"'):
            if current is None:
                raise PoSyntaxError(f"line {line_number}: string without keyword")
            append(_unquote(line, line_number))
            continue
        match = _KEYWORD_RE.match(line)
        if match is None:
            raise PoSyntaxError(f"line {line_number}: cannot parse {line!r}")
        keyword, index, rest = match.groups()
        value = _unquote(rest, line_number)
        if keyword in ("msgctxt", "msgid") and in_msgstr:
            flush(line_number)
        draft.started = True
        if keyword == "msgctxt":
            if draft.msgctxt is not None or draft.msgid is not None:
                raise PoSyntaxError(f"line {line_number}: misplaced msgctxt")
            draft.msgctxt = value
            current = ("msgctxt", None)
        elif keyword == "msgid":
            if draft.msgid is not None:
                raise PoSyntaxError(f"line {line_number}: second msgid in entry")
            draft.msgid = value
            current = ("msgid", None)
        elif keyword == "msgid_plural":
            if draft.msgid is None or draft.msgid_plural is not None:
                raise PoSyntaxError(f"line {line_number}: misplaced msgid_plural")
            draft.msgid_plural = value
            current = ("msgid_plural", None)
        else:
            if draft.msgid is None:
                raise PoSyntaxError(f"line {line_number}: msgstr before msgid")
            plural_form = index is not None
            if plural_form != (draft.msgid_plural is not None):
                raise PoSyntaxError(f"line {line_number}: msgstr form mismatch")
            position = int(index) if index is not None else 0
            if position in draft.msgstr:
                raise PoSyntaxError(f"line {line_number}: duplicate msgstr")
            draft.msgstr[position] = value
            current = ("msgstr", position)
            in_msgstr = True
    flush(len(text.splitlines()) + 1)
    return messages


_CHARSET_RE = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")


def read_po(path: Path) -> list[Message]:
    """Read a .po file in the charset its header declares (UTF-8 if none)."""
    data = path.read_bytes()
    match = _CHARSET_RE.search(data)
    charset = match.group(1).decode("ascii") if match else "utf-8"
    if charset.upper() == "CHARSET":  # an untouched template header
        charset = "utf-8"
    return parse_po(data.decode(charset))


# --------------------------------------------------------------------------- #
# .po and .mo writing
# --------------------------------------------------------------------------- #


def _quote(value: str) -> str:
    """Quote a string for a .po file, splitting after newlines as xgettext does."""

    def escape(chunk: str) -> str:
        return (
            chunk.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\t", "\\t")
            .replace("\r", "\\r")
        )

    lines = value.splitlines(keepends=True)
    if len(lines) <= 1:
        return f'"{escape(value)}"'
    return '""\n' + "\n".join(f'"{escape(line)}"' for line in lines)


def render_po(
    header: str, messages: Iterable[Message], preamble: Sequence[str] = ()
) -> str:
    """Render a catalogue as .po text, so the filled strings can be reviewed."""
    parts: list[str] = [
        "".join(f"# {line}\n" if line else "#\n" for line in preamble)
        + f'msgid ""\nmsgstr {_quote(header)}\n'
    ]
    for message in messages:
        lines: list[str] = [f"#. {comment}" for comment in message.comments]
        flags = sorted(message.flags - {"fuzzy"})
        if flags:
            lines.append("#, " + ", ".join(flags))
        if message.msgctxt is not None:
            lines.append(f"msgctxt {_quote(message.msgctxt)}")
        lines.append(f"msgid {_quote(message.msgid)}")
        if message.msgid_plural is not None:
            lines.append(f"msgid_plural {_quote(message.msgid_plural)}")
            lines.extend(
                f"msgstr[{index}] {_quote(value)}"
                for index, value in enumerate(message.msgstr)
            )
        else:
            lines.append(f"msgstr {_quote(message.msgstr[0])}")
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def _mo_key(message: Message) -> str:
    """Spell the .mo key gettext looks up: ``ctxt\\x04msgid[\\x00plural]``."""
    key = message.msgid
    if message.msgid_plural is not None:
        key += PLURAL_SEPARATOR + message.msgid_plural
    if message.msgctxt is not None:
        key = message.msgctxt + CONTEXT_SEPARATOR + key
    return key


def render_mo(header: str, messages: Iterable[Message]) -> bytes:
    """Compile a catalogue to GNU .mo bytes without msgfmt.

    Same layout as CPython's Tools/i18n/msgfmt.py: little-endian, keys sorted,
    no hash table (readers fall back to the sorted original-string table).
    Untranslated and fuzzy messages are left out, as msgfmt leaves them out.
    """
    entries: dict[bytes, bytes] = {b"": header.encode("utf-8")}
    for message in messages:
        if not message.is_translated:
            continue
        key = _mo_key(message).encode("utf-8")
        if key in entries:
            raise ValueError(f"duplicate message in catalogue: {key!r}")
        entries[key] = PLURAL_SEPARATOR.join(message.msgstr).encode("utf-8")
    keys = sorted(entries)
    ids = b""
    strs = b""
    offsets: list[tuple[int, int, int, int]] = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(entries[key])))
        ids += key + b"\0"
        strs += entries[key] + b"\0"
    count = len(keys)
    key_table_start = 7 * 4
    value_table_start = key_table_start + count * 8
    ids_start = value_table_start + count * 8
    strs_start = ids_start + len(ids)
    key_table: list[int] = []
    value_table: list[int] = []
    for id_offset, id_length, str_offset, str_length in offsets:
        key_table += [id_length, ids_start + id_offset]
        value_table += [str_length, strs_start + str_offset]
    header_words = struct.pack(
        "<7I",
        0x950412DE,  # magic
        0,  # format revision
        count,
        key_table_start,
        value_table_start,
        0,  # hash table size
        0,  # hash table offset
    )
    return (
        header_words
        + struct.pack(f"<{len(key_table)}I", *key_table)
        + struct.pack(f"<{len(value_table)}I", *value_table)
        + ids
        + strs
    )


# --------------------------------------------------------------------------- #
# Conversion that leaves placeholders alone
# --------------------------------------------------------------------------- #

_PLACEHOLDER_RE = re.compile(
    r"%%"
    r"|%(?:\([^()]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsab]"
    r"|\{\{|\}\}"
    r"|\{[^{}]*\}"
)


def placeholders(text: str) -> list[str]:
    """List python-format and brace-format placeholders, in order of appearance."""
    return _PLACEHOLDER_RE.findall(text)


class PlaceholderChanged(ValueError):
    """Conversion altered a placeholder, which would break string interpolation."""


def convert_preserving_placeholders(text: str, convert: Converter) -> str:
    """Convert text to traditional characters and prove placeholders survived.

    OpenCC only rewrites CJK text, so converting the whole string (which keeps
    phrase context) normally leaves ``%(name)s`` and ``{name}`` untouched.  If a
    placeholder ever did change, the text between placeholders is converted
    piecewise instead; if that still fails, refuse rather than ship a broken
    format string.
    """
    expected = placeholders(text)
    converted = convert(text)
    if placeholders(converted) == expected:
        return converted
    pieces: list[str] = []
    position = 0
    for match in _PLACEHOLDER_RE.finditer(text):
        pieces.append(convert(text[position : match.start()]))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(convert(text[position:]))
    converted = "".join(pieces)
    if placeholders(converted) != expected:
        raise PlaceholderChanged(f"conversion changed placeholders in {text!r}")
    return converted


def default_converter() -> Converter:
    """Return the project's simplified-to-traditional converter.

    ``text.script.to_traditional`` follows ``settings.SANFU_TRADITIONAL_CONFIG``,
    so the admin fill uses the same regional standard as the rest of the site.
    """
    from text.script import to_traditional

    return to_traditional


# --------------------------------------------------------------------------- #
# Collecting the gaps
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class CatalogueSource:
    """A ``locale`` directory whose catalogues feed or constrain the fill.

    ``authoritative`` marks a project catalogue (a ``LOCALE_PATHS`` entry):
    Django puts it above every app, so its zh_Hans translations are filled even
    where an app's zh_Hant catalogue translates the same msgid, unless an
    authoritative source translates it in zh_Hant itself.
    """

    label: str
    locale_dir: Path
    authoritative: bool = False

    def po_path(self, locale: str, domain: str) -> Path:
        """Locate the .po file of one locale and domain (it may not exist)."""
        return self.locale_dir / locale / "LC_MESSAGES" / f"{domain}.po"


def project_locale_dirs() -> list[Path]:
    """List the project's own catalogue directories: ``LOCALE_PATHS`` but the fill.

    These hold hand-written catalogues (``sanfu/locale``) whose ``.mo`` files
    ``compile_catalogues`` builds; ``OUTPUT_DIR`` is generated and excluded.
    """
    from django.conf import settings

    fill = OUTPUT_DIR.resolve()
    return [
        Path(path)
        for path in settings.LOCALE_PATHS
        if Path(path).resolve() != fill and Path(path).is_dir()
    ]


def installed_sources() -> list[CatalogueSource]:
    """List the project's and installed apps' locale directories, highest first.

    Django merges ``LOCALE_PATHS`` above every app, the first entry winning; then
    the apps, the one listed first in INSTALLED_APPS winning; then Django's own
    catalogue.  The same order decides which zh_Hans translation is converted
    when sources disagree.  A directory that is both a ``LOCALE_PATHS`` entry and
    an app's ``locale`` (``sanfu/locale``) is listed once, as the project's.
    """
    import django
    from django.apps import apps

    project = {path.resolve(): path for path in project_locale_dirs()}
    app_labels = {
        (Path(config.path) / "locale").resolve(): config.name
        for config in apps.get_app_configs()
    }
    # The label ends up in the committed fill's comments: keep it machine-neutral.
    sources = [
        CatalogueSource(app_labels.get(resolved, path.name), path, authoritative=True)
        for resolved, path in project.items()
    ]
    sources += [
        CatalogueSource(config.name, Path(config.path) / "locale")
        for config in apps.get_app_configs()
        if (Path(config.path) / "locale").is_dir()
        and (Path(config.path) / "locale").resolve() not in project
    ]
    sources.append(
        CatalogueSource("django", Path(django.__file__).parent / "conf" / "locale")
    )
    return sources


@dataclass(frozen=True)
class Coverage:
    """How many of a set of messages zh-Hant translates before and after the fill."""

    label: str
    total: int
    before: int
    after: int


@dataclass
class DomainFill:
    """The outcome for one gettext domain, with the figures the command reports."""

    domain: str
    messages: list[Message]
    coverage: Coverage
    per_source: list[Coverage] = field(default_factory=list)

    @property
    def filled(self) -> int:
        """Count messages the fill adds."""
        return len(self.messages)


def collect_fill(
    sources: Sequence[CatalogueSource], domain: str, convert: Converter
) -> DomainFill:
    """Convert every zh_Hans translation that no zh_Hant catalogue provides.

    A message counts as translated in zh-Hant when ANY source's zh_Hant
    catalogue translates it: the fill sits in LOCALE_PATHS, above every app, so
    filling such a message would override an existing human translation.
    ``sources`` is ordered by precedence; the first zh_Hans translation wins.
    The exception is a zh_Hans translation from an authoritative (project)
    source: it already overrides the apps in zh-hans, so only an authoritative
    zh_Hant translation keeps it from being filled.
    The source-language catalogue (``en``, a copy of the app's message template)
    only widens the set of messages the coverage figures count.
    """
    hant_translated: set[MessageKey] = set()
    hant_authoritative: set[MessageKey] = set()
    keys_by_source: dict[str, set[MessageKey]] = {}
    hans: dict[MessageKey, tuple[Message, CatalogueSource]] = {}
    for source in sources:
        source_keys = keys_by_source.setdefault(source.label, set())
        for locale in (TARGET_LOCALE, SOURCE_LOCALE, TEMPLATE_LOCALE):
            path = source.po_path(locale, domain)
            if not path.is_file():
                continue
            for message in read_po(path):
                if message.is_header:
                    continue
                source_keys.add(message.key)
                if not message.is_translated:
                    continue
                if locale == TARGET_LOCALE:
                    hant_translated.add(message.key)
                    if source.authoritative:
                        hant_authoritative.add(message.key)
                elif locale == SOURCE_LOCALE:
                    hans.setdefault(message.key, (message, source))
    filled: list[Message] = []
    for key, (message, source) in hans.items():
        if key in (hant_authoritative if source.authoritative else hant_translated):
            continue
        # Chinese has one plural form: msgstr[0] is what plural=0 selects.
        filled.append(
            Message(
                msgid=message.msgid,
                msgid_plural=message.msgid_plural,
                msgctxt=message.msgctxt,
                msgstr=(convert_preserving_placeholders(message.msgstr[0], convert),),
                flags=frozenset(message.flags - {"fuzzy"}),
                comments=(f"{SOURCE_LOCALE}: {source.label}",),
            )
        )
    filled.sort(key=lambda m: (m.msgctxt or "", m.msgid, m.msgid_plural or ""))
    translated_after = hant_translated | {message.key for message in filled}

    def coverage(label: str, keys: set[MessageKey]) -> Coverage:
        return Coverage(
            label=label,
            total=len(keys),
            before=len(keys & hant_translated),
            after=len(keys & translated_after),
        )

    return DomainFill(
        domain=domain,
        messages=filled,
        coverage=coverage(domain, set().union(*keys_by_source.values())),
        per_source=[
            coverage(label, keys) for label, keys in keys_by_source.items() if keys
        ],
    )


# --------------------------------------------------------------------------- #
# Files
# --------------------------------------------------------------------------- #

PREAMBLE: tuple[str, ...] = (
    "Generated by `manage.py fill_hant_catalogues` (text/catalogues.py): do not",
    "edit. Messages that no installed app's zh_Hant catalogue translates, converted",
    "from zh_Hans with OpenCC; each entry names the app its zh_Hans text came from.",
    "",
)


def catalogue_header(converter_label: str) -> str:
    """Build the metadata entry; gettext needs the charset, Django the plural rule.

    The converter is recorded so a --check failure caused by a different
    SANFU_TRADITIONAL_CONFIG is easy to recognise.
    """
    return (
        "Project-Id-Version: sanfu zh-Hant fill\n"
        "Language: zh_Hant\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        "Plural-Forms: nplurals=1; plural=0;\n"
        f"X-Converter: {converter_label}\n"
    )


def render_files(
    fills: Iterable[DomainFill], converter_label: str
) -> dict[Path, bytes]:
    """Render the .po and .mo bytes of each domain, keyed by path in OUTPUT_DIR."""
    header = catalogue_header(converter_label)
    files: dict[Path, bytes] = {}
    for fill in fills:
        base = Path(TARGET_LOCALE) / "LC_MESSAGES" / fill.domain
        po = render_po(header, fill.messages, PREAMBLE)
        files[base.with_suffix(".po")] = po.encode("utf-8")
        files[base.with_suffix(".mo")] = render_mo(header, fill.messages)
    return files


def build(
    sources: Sequence[CatalogueSource] | None = None,
    convert: Converter | None = None,
    domains: Sequence[str] = DOMAINS,
) -> list[DomainFill]:
    """Compute the fill of every domain from the installed apps by default."""
    sources = installed_sources() if sources is None else sources
    convert = default_converter() if convert is None else convert
    return [collect_fill(sources, domain, convert) for domain in domains]


def compile_catalogues(locale_dir: Path) -> dict[Path, bytes]:
    """Compile every ``.po`` under ``locale_dir`` to ``.mo`` bytes, as msgfmt would.

    Keyed by path relative to ``locale_dir`` (``zh_Hans/LC_MESSAGES/django.mo``),
    like ``render_files``, so ``write_files`` and ``stale_files`` handle both.
    The header is copied from the ``.po``; fuzzy and empty entries are left out.
    """
    files: dict[Path, bytes] = {}
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        messages = read_po(po)
        headers = [message for message in messages if message.is_header]
        if len(headers) != 1:
            raise PoSyntaxError(f"{po}: expected one header entry")
        body = [message for message in messages if not message.is_header]
        relative = po.relative_to(locale_dir).with_suffix(".mo")
        files[relative] = render_mo(headers[0].msgstr[0], body)
    return files


def write_files(files: dict[Path, bytes], output_dir: Path = OUTPUT_DIR) -> list[Path]:
    """Write rendered files, skipping unchanged ones to keep mtimes stable.

    Each file is replaced atomically, so a process reading the catalogues (a
    test running in parallel, a server) never sees a half-written ``.mo``.
    Returns the paths actually written.
    """
    written: list[Path] = []
    for relative, data in files.items():
        path = output_dir / relative
        if path.is_file() and path.read_bytes() == data:
            continue
        written.append(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return written


def stale_files(files: dict[Path, bytes], output_dir: Path = OUTPUT_DIR) -> list[Path]:
    """List the files on disk that differ from (or are missing against) a render."""
    return [
        output_dir / relative
        for relative, data in files.items()
        if not (output_dir / relative).is_file()
        or (output_dir / relative).read_bytes() != data
    ]


__all__ = [
    "DOMAINS",
    "OUTPUT_DIR",
    "CatalogueSource",
    "Coverage",
    "DomainFill",
    "Message",
    "PlaceholderChanged",
    "PoSyntaxError",
    "build",
    "catalogue_header",
    "collect_fill",
    "compile_catalogues",
    "convert_preserving_placeholders",
    "default_converter",
    "installed_sources",
    "parse_po",
    "placeholders",
    "project_locale_dirs",
    "read_po",
    "render_files",
    "render_mo",
    "render_po",
    "stale_files",
    "write_files",
]
