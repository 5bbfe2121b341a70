"""Personal data in free text: found and masked before the text goes public.

One rule for every public surface (the replied demands, Open311, the disclosure pages,
the column's feed and search) and for the audit trail. ``find_personal_data`` returns
the spans, ``mask_personal_data`` the text with each span masked. What counts:

- mobile numbers however typed: ``13800138000``, ``138 0013 8000``, ``138-0013-8000``,
  ``+86 138…``, ``0086…``, full-width digits, Chinese numerals (``幺三八…``,
  ``一三八…``), kept as ``138****8000`` (as the byline's ``mask_phone``);
- landlines with an area code (``020-12345678``, ``(020)1234567``, ``区号020 …``) or
  after a word that says so (``电话：83331234``), the area code kept;
- resident ID numbers (18 characters, the birth date in place, last may be X; and the
  old 15-digit ones), bank cards (16–19 digits passing Luhn, or any such run after
  ``卡号``/``账号``), e-mail addresses, WeChat and QQ ids after their name;
- a person's full name before an honorific (``陈志华先生`` → ``陈**先生``), after a
  word that introduces one (``姓名：``, ``联系人``, ``我叫``…) or just before a number
  masked above (``陈志华13600001111``). A surname with an honorific alone
  (``王先生``) is left: a surname does not identify anyone. Historical figures
  (``孙中山先生``) are left;
- building, unit and room numbers (``3栋2单元502室``, ``5号楼1203``, ``502室``).

Left alone: years and dates, flows and other quantities with their unit, article
numbers, the 12345 hotline and other short service numbers, document numbers
(``珠水办〔2007〕12号``), percentages, money, and a street address's number
(``江南大道168号``): a street number alone names a building, not a person.

Masking is idempotent: the masked digits become ``*`` and no rule starts or ends a
match next to a ``*``, so masked text has nothing left to find.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

MASK = "*"
_ASCII_DIGITS = frozenset("0123456789")

# Full-width digits and Chinese numerals read as digits, one character for one, so
# the offsets found in the reading are the offsets in the text.
_DIGIT_READING = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "〇": "0",
        "零": "0",
        "一": "1",
        "幺": "1",
        "二": "2",
        "两": "2",
        "兩": "2",
        "三": "3",
        "四": "4",
        "五": "5",
        "六": "6",
        "七": "7",
        "八": "8",
        "九": "9",
        "＋": "+",
        "－": "-",
        "—": "-",
        "–": "-",
        "\u3000": " ",
        "\xa0": " ",
        "（": "(",
        "）": ")",
        "：": ":",
        "ｘ": "x",
        "Ｘ": "X",
    }
)

# No rule starts or ends beside a digit or a mask.
_B = r"(?<![0-9*])"
_E = r"(?![0-9*])"
# Quantities, money and ordinals: a number followed by one of these is not personal.
_UNIT = (
    r"(?!\s*(?:元|圆|块|万|亿|億|%|‰|米|吨|噸|立方|平方|公里|千克|公斤|斤|人|户|戶|"
    r"次|个|個|件|年|月|日|号|號|名|位|台|辆|輛|条|條|项|項|亩|畝|天|小时|小時))"
)
_SEP = r"[ \-.]?"

_MOBILE = re.compile(
    _B
    + r"(?P<prefix>(?:\+\s?86|0086|\(\+?86\))[ \-]?)?"
    + r"(?P<number>1"
    + _SEP
    + r"[3-9](?:"
    + _SEP
    + r"[0-9]){9})"
    + _E
    + _UNIT
)
_LANDLINE = re.compile(
    _B
    + r"(?P<prefix>(?:\+\s?86[ \-]?|0086[ \-]?)?"
    + r"(?:\(0[1-9][0-9]{1,2}\)\s?|0[1-9][0-9]{1,2}[ \-]?))"
    + r"(?P<number>[1-9][0-9]{2,3}[ \-]?[0-9]{4})"
    + _E
    + _UNIT
)
_AREA_CODE_FORM = re.compile(
    r"(?P<prefix>区号|區號)\s*:?\s*(?P<area>0[1-9][0-9]{1,2})[，,、\s]*"
    r"(?:(?:电话|電話|号码|號碼)\s*:?\s*)?(?P<number>[2-9][0-9]{6,7})" + _E
)
_PHONE_WORD = (
    r"(?:电话|電話|手机|手機|座机|座機|固话|固話|联系方式|聯繫方式|联系电话|聯繫電話|"
    r"号码|號碼|tel|Tel|TEL)"
)
_LOCAL_AFTER_WORD = re.compile(
    r"(?P<prefix>" + _PHONE_WORD + r"(?:是|为|為)?\s*:?\s*)"
    r"(?P<number>[2-9][0-9]{2,3}[ \-]?[0-9]{4})" + _E + _UNIT
)
_ID18 = re.compile(
    r"(?<![0-9A-Za-z*])"
    r"(?P<number>[1-9][0-9]{5}[ \-]?(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])"
    r"(?:0[1-9]|[12][0-9]|3[01])[ \-]?[0-9]{3}[0-9Xx])"
    r"(?![0-9A-Za-z*])"
)
_ID15 = re.compile(
    _B + r"(?P<number>[1-9][0-9]{5}[0-9]{2}(?:0[1-9]|1[0-2])"
    r"(?:0[1-9]|[12][0-9]|3[01])[0-9]{3})" + _E + _UNIT
)
_CARD_GROUPED = re.compile(
    _B + r"(?P<number>[0-9]{4}(?:[ \-][0-9]{4}){3}(?:[ \-]?[0-9]{1,3})?)" + _E
)
_CARD_RUN = re.compile(_B + r"(?P<number>[0-9]{16,19})" + _E)
_CARD_WORD = re.compile(
    r"(?:卡号|卡號|银行卡|銀行卡|账号|賬號|帳號|账户|賬戶|帳戶)\s*:?\s*$"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-*])(?P<number>[A-Za-z0-9._%+\-]+)@"
    r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
_WECHAT = re.compile(
    r"(?P<prefix>(?:微信号?|微信號|weixin|wechat|WeChat|Wechat|vx|VX|Vx|v信|V信)"
    r"\s*(?:是|为|為)?\s*:?\s*)"
    r"(?P<number>[A-Za-z][A-Za-z0-9_\-]{5,19}|1[3-9][0-9]{9})(?![A-Za-z0-9_\-*])"
)
_QQ = re.compile(
    r"(?P<prefix>(?:QQ|qq|Qq|扣扣)(?:号码|號碼|号|號)?\s*(?:是|为|為)?\s*:?\s*)"
    r"(?P<number>[1-9][0-9]{4,11})" + _E
)
_BUILDING = r"(?:[0-9]{1,3}|[A-Za-z])(?:栋|棟|幢|座|号楼|號樓|号院|號院|#楼|#樓|#)"
_ROOM_IN_BUILDING = re.compile(
    _B + r"(?P<number>" + _BUILDING + r"\s?(?:[0-9]{1,2}单元|[0-9]{1,2}單元)?"
    r"\s?(?:[0-9]{1,2}(?:楼|樓|层|層))?\s?[0-9]{3,5}(?:室|房|号房|號房|号|號)?"
    r"|" + _BUILDING + r"\s?[0-9]{1,2}(?:单元|單元))" + _E + _UNIT
)
_ROOM = re.compile(_B + r"(?P<number>[0-9]{3,5})(?:室|房间|房間|号房|號房)")
_ROOM_DASHES = re.compile(
    r"(?<![0-9*\-])(?P<number>[0-9]{1,3}-[0-9]{1,2}-[0-9]{3,4})(?![0-9*\-])"
)

# The most common family names (simplified and traditional), which start a name; a
# rarer one is found only after a word that introduces a name.
_COMMON_SURNAMES = frozenset(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許"
    "韩韓冯馮邓鄧曹彭曾肖蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾"
    "谭譚陆陸汪范範金石廖贾賈夏韦韋付傅方白邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀"
    "顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐"
    "颜顏倪庄莊聂聶章鲁魯岳翟殷詹申欧歐耿关關兰蘭焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童"
    "凌毕畢单單季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻祁蒲房滕屈饶饒解"
    "牟艾尤阳陽时時穆农農司卓古吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁窦竇戚岑景党黨宫宮"
    "费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔苟邬鄔边邊卞姬师師和仇栾欒隋商刁沙荣榮巫"
    "寇桑郎甄丛叢仲虞敖巩鞏明佘池查麻苑迟遲邝鄺"
)
_COMPOUND_SURNAMES = (
    "欧阳",
    "歐陽",
    "司马",
    "司馬",
    "诸葛",
    "諸葛",
    "上官",
    "东方",
    "東方",
    "皇甫",
    "令狐",
    "慕容",
    "司徒",
    "夏侯",
    "尉迟",
    "尉遲",
    "公孙",
    "公孫",
    "长孙",
    "長孫",
    "端木",
    "独孤",
    "獨孤",
)
# The commonest of them: a character of these before an honorific is taken for a
# surname alone (王先生) rather than the end of a given name.
_TOP_SURNAMES = frozenset(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許"
    "韩韓冯馮邓鄧曹彭曾肖蕭田董袁潘蒋蔣蔡杜叶葉程苏蘇魏吕呂丁沈姚卢盧姜崔钟鍾谭譚陆陸"
    "汪范範金廖贾賈夏韦韋付傅邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵"
)
# Names in public memory, not private persons.
HISTORICAL_FIGURES = frozenset(
    {
        "孙中山",
        "孫中山",
        "孙文",
        "孫文",
        "宋庆龄",
        "宋慶齡",
        "鲁迅",
        "魯迅",
        "毛泽东",
        "毛澤東",
        "周恩来",
        "周恩來",
        "邓小平",
        "鄧小平",
        "雷锋",
        "雷鋒",
        "焦裕禄",
        "焦裕祿",
        "钱学森",
        "錢學森",
        "袁隆平",
        "蔡元培",
        "梁启超",
        "梁啟超",
        "林则徐",
        "林則徐",
        "詹天佑",
        "黄大年",
        "黃大年",
        "冼星海",
        "李大钊",
        "李大釗",
        "陈独秀",
        "陳獨秀",
        "廖仲恺",
        "廖仲愷",
        "何香凝",
        "黄兴",
        "黃興",
        "叶剑英",
        "葉劍英",
        "朱德",
        "刘少奇",
        "劉少奇",
        "杨善洲",
        "楊善洲",
        "谷文昌",
        "孔繁森",
        "张桂梅",
        "張桂梅",
    }
)
_HONORIFIC = re.compile(
    r"先生|女士|小姐|阿姨|大爷|大爺|大妈|大媽|大娘|大姐|大哥|大叔|阿婆|阿伯|师傅|師傅|"
    r"奶奶|爷爷|爺爺|伯伯|叔叔|婆婆|老伯|老人家"
)
_NAME_CUE = re.compile(
    r"(?:姓名|名字|联系人|聯繫人|聯絡人|聯系人|反映人|投诉人|投訴人|来电人|來電人|"
    r"申请人|申請人|户主|戶主|我叫|署名)"
    r"(?:是|为|為|叫)?\s*[:：]?\s*"
)
# Characters that end a given name found after a cue: verbs and particles that follow
# a name in a complaint more often than they are part of one.
_NOT_IN_NAME = frozenset(
    "反来來投说說称稱的在家住电電手联聯先女同等和与與及是于於向要请請表诉訴求讲講打拨撥"
    "称稱了也都还還又就已曾被把对對给給从從到于们們某"
)
# Words between a name and its number: 陈志华，电话：13600001111.
_BETWEEN_NAME_AND_NUMBER = re.compile(
    r"(?:[\s,，、:：;；（(]|"
    + _PHONE_WORD
    + r"|联系|聯繫|身份证号?|身份證號?|号码|號碼)*$"
)
_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    kind: str
    # within [start, end): where the part to mask begins and ends (a prefix such as
    # "+86 " or "微信：" is kept)
    mask_start: int
    mask_end: int


def _is_han(char: str) -> bool:
    return bool(_HAN.match(char))


def _is_digit(char: str) -> bool:
    return char.translate(_DIGIT_READING) in _ASCII_DIGITS


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _number_spans(text: str, reading: str) -> list[Span]:
    spans: list[Span] = []

    def add(match: re.Match[str], kind: str, group: str = "number") -> None:
        spans.append(
            Span(match.start(), match.end(), kind, match.start(group), match.end(group))
        )

    for match in _EMAIL.finditer(text):
        add(match, "email")
    for match in _WECHAT.finditer(reading):
        add(match, "wechat")
    for match in _QQ.finditer(reading):
        add(match, "qq")
    for match in _ID18.finditer(reading):
        add(match, "id")
    for match in _ID15.finditer(reading):
        add(match, "id")
    for match in _MOBILE.finditer(reading):
        add(match, "mobile")
    for match in _LANDLINE.finditer(reading):
        add(match, "landline")
    for match in _AREA_CODE_FORM.finditer(reading):
        add(match, "landline")
    for match in _LOCAL_AFTER_WORD.finditer(reading):
        add(match, "landline")
    for match in _CARD_GROUPED.finditer(reading):
        if _luhn(re.sub(r"\D", "", match["number"])):
            add(match, "card")
    for match in _CARD_RUN.finditer(reading):
        if _luhn(match["number"]) or _CARD_WORD.search(reading[: match.start()]):
            add(match, "card")
    for pattern in (_ROOM_IN_BUILDING, _ROOM, _ROOM_DASHES):
        for match in pattern.finditer(reading):
            add(match, "room")
    return spans


def _name_before(text: str, end: int) -> tuple[int, int] | None:
    """The full name ending at ``end`` (surname and one or two given characters),
    if the characters there read as one."""
    for compound in _COMPOUND_SURNAMES:
        for given in (2, 1):
            start = end - given - len(compound)
            if (
                start >= 0
                and text[start : start + len(compound)] == compound
                and all(_is_han(c) for c in text[start + len(compound) : end])
            ):
                return start, end
    one = text[end - 1 : end] if end >= 1 else ""
    two = text[end - 2 : end] if end >= 2 else ""
    three = text[end - 3 : end] if end >= 3 else ""
    if not one or not _is_han(one):
        return None
    if one in _TOP_SURNAMES and (not two or two[0] not in _TOP_SURNAMES):
        return None  # 王先生, 我和李先生: a surname alone
    candidates = []
    if (
        three
        and all(_is_han(c) for c in three)
        and not any(c in _NOT_IN_NAME for c in three[1:])
    ):
        candidates.append(three)
    if two and _is_han(two[0]) and two[1] not in _NOT_IN_NAME:
        candidates.append(two)
    candidates = [c for c in candidates if not _HONORIFIC.search(c)]
    for surnames in (_TOP_SURNAMES, _COMMON_SURNAMES):
        for candidate in candidates:
            if candidate[0] in surnames:
                return end - len(candidate), end
    return None


def _name_after(text: str, start: int) -> tuple[int, int] | None:
    """The full name starting at ``start``, after a word that introduces one."""
    for compound in _COMPOUND_SURNAMES:
        if text.startswith(compound, start):
            end = start + len(compound)
            while end < len(text) and end - start < len(compound) + 2:
                if not _is_han(text[end]) or text[end] in _NOT_IN_NAME:
                    break
                end += 1
            return (start, end) if end > start + len(compound) else None
    if start >= len(text) or text[start] not in _COMMON_SURNAMES:
        return None
    end = start + 1
    while end < len(text) and end - start < 3:
        if not _is_han(text[end]) or text[end] in _NOT_IN_NAME:
            break
        if _HONORIFIC.match(text, end):
            break
        end += 1
    return (start, end) if end > start + 1 else None


def _name_span(text: str, start: int, end: int) -> Span | None:
    name = text[start:end]
    if name in HISTORICAL_FIGURES:
        return None
    surname = 2 if name[:2] in _COMPOUND_SURNAMES else 1
    return Span(start, end, "name", start + surname, end)


def _name_spans(text: str, numbers: Iterable[Span], names: Iterable[str]) -> list[Span]:
    spans: list[Span] = []

    def add(found: tuple[int, int] | None) -> None:
        if found is not None and (span := _name_span(text, *found)) is not None:
            spans.append(span)

    for match in _HONORIFIC.finditer(text):
        add(_name_before(text, match.start()))
    for match in _NAME_CUE.finditer(text):
        add(_name_after(text, match.end()))
    for number in numbers:
        if number.kind == "room":
            continue
        # a name stands at most a few words before its number
        window = max(0, number.start - 20)
        between = _BETWEEN_NAME_AND_NUMBER.search(text, window, number.start)
        end = between.start() if between else number.start
        add(_name_before(text, end))
    for name in names:
        name = name.strip()
        if len(name) < 2 or MASK in name:
            continue
        for match in re.finditer(re.escape(name), text):
            spans.append(
                Span(match.start(), match.end(), "name", match.start() + 1, match.end())
            )
    return spans


def find_personal_data(text: str, *, names: Iterable[str] = ()) -> list[Span]:
    """The spans of personal data in ``text``, in order and not overlapping; where two
    overlap the longer wins. ``names`` are names known to be personal (the
    submitter's), found wherever they stand."""
    if not text:
        return []
    reading = text.translate(_DIGIT_READING)
    numbers = _number_spans(text, reading)
    found = numbers + _name_spans(text, numbers, names)
    found.sort(key=lambda span: (span.start, -(span.end - span.start)))
    chosen: list[Span] = []
    for span in found:
        if chosen and span.start < chosen[-1].end:
            if span.end - span.start <= chosen[-1].end - chosen[-1].start:
                continue
            chosen.pop()
            if chosen and span.start < chosen[-1].end:
                continue
        chosen.append(span)
    return chosen


# (head, tail) characters kept of a masked number, by kind
_KEEP = {
    "mobile": (3, 4),
    "landline": (0, 4),
    "id": (4, 2),
    "card": (4, 4),
    "email": (1, 0),
    "wechat": (2, 0),
    "qq": (2, 0),
    "room": (0, 0),
}


def _masked(kind: str, part: str) -> str:
    if kind == "name":
        return MASK * len(part)
    if kind == "room":
        return "".join(MASK if _is_digit(c) else c for c in part)
    if kind == "email":
        return part[:1] + MASK * (len(part) - 1) if len(part) > 1 else MASK
    symbols = [c for c in part if _is_digit(c) or (c.isascii() and c.isalnum())]
    head, tail = _KEEP[kind]
    if len(symbols) <= head + tail:
        return MASK * len(symbols)
    middle = len(symbols) - head - tail
    return (
        "".join(symbols[:head])
        + MASK * middle
        + "".join(symbols[-tail:] if tail else [])
    )


def mask_personal_data(text: str, *, names: Iterable[str] = ()) -> str:
    """``text`` with its personal data masked (see the module's docstring)."""
    spans = find_personal_data(text, names=names)
    if not spans:
        return text
    pieces = []
    at = 0
    for span in spans:
        pieces.append(text[at : span.mask_start])
        pieces.append(_masked(span.kind, text[span.mask_start : span.mask_end]))
        at = span.mask_end
    pieces.append(text[at:])
    return "".join(pieces)


# A post's title (處長, 聯絡員) and the words that end a unit's name (水政水資源處,
# 西江水文站): a post or a unit is nobody's personal data.
_POST_TITLE = (
    r"副?(?:處|处|科|局|站|所|部|院|廳|厅|司|組|组|室|隊|队)?(?:長|长)|副?主任|"
    r"副?書記|副?书记|聯絡員|联络员|幹事|干事|專員|专员|科員|科员|同志|主席|經理|经理"
)
_ENDS_AS_POST_OR_UNIT = re.compile(
    r"(?:" + _POST_TITLE + r"|處|处|科|室|局|委|站|所|組|组|中心|辦|办|部|會|会"
    r"|院|廳|厅)$"
)
_TITLE_ALONE = re.compile(_POST_TITLE)
# what a name carries after it, kept as it is: 聯絡員（演示）
_TRAILING_NOTE = re.compile(r"\s*[（(][^（()）]*[）)]$")


def _surname_length(name: str) -> int:
    return 2 if name[:2] in _COMPOUND_SURNAMES else 1


def _person_name(text: str) -> bool:
    """Whether ``text`` reads as a person's name alone: a surname and a given name
    of one or two characters."""
    surname = _surname_length(text)
    return (
        surname + 1 <= len(text) <= surname + 2
        and all(_is_han(c) for c in text)
        and (surname == 2 or text[0] in _COMMON_SURNAMES)
    )


def mask_person_name(name: str) -> str:
    """A responsible person's name as the public reads it: a person's name keeps
    its surname (陳**, 歐陽**, 張*處長); a post or a unit (水政水資源處聯絡員, 處長,
    西江水文站) is shown whole. A name that is neither keeps its first character
    only: when in doubt, mask."""
    name = name.strip()
    note = _TRAILING_NOTE.search(name)
    core, tail = (name[: note.start()], note.group()) if note else (name, "")
    if not core:
        return name
    for length in (2, 3, 4):
        holder, title = core[:length], core[length:]
        if _person_name(holder) and (not title or _TITLE_ALONE.fullmatch(title)):
            surname = _surname_length(holder)
            return holder[:surname] + MASK * (length - surname) + title + tail
    if all(_is_han(c) for c in core) and _ENDS_AS_POST_OR_UNIT.search(core):
        return core + tail
    return core[0] + MASK * (len(core) - 1) + tail


# kinds whose kept prefix (+86, an area code) is part of the number
_WHOLE_SPAN = frozenset({"mobile", "landline", "id", "card"})


def blank_personal_data(text: str, blank: str = "***") -> str:
    """``text`` with each piece of personal data replaced by ``blank``, nothing of
    it kept: for records that outlive the data's retention (the audit trail)."""
    spans = find_personal_data(text)
    pieces = []
    at = 0
    for span in spans:
        start, end = (
            (span.start, span.end)
            if span.kind in _WHOLE_SPAN
            else (span.mask_start, span.mask_end)
        )
        pieces.append(text[at:start])
        pieces.append(blank)
        at = end
    pieces.append(text[at:])
    return "".join(pieces)
