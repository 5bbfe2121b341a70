"""Clean Chinese text that arrives from outside before it is stored or indexed.

Our source material was machine-converted from simplified to traditional characters
by a tool that glued the pinyin of every converted character after it in ASCII
parentheses (``機(jī)關(guān)``). Those annotations must go, yet the same articles use
real parentheses (``政務(廠務)公開``, ``高程(m)``, ``實施細則(a)``), so a bracket is
only removed when what it holds is provably pinyin: valid syllables, glued to Chinese
characters, each syllable a reading (pypinyin's, any of a heteronym's) of the
character before the bracket in its place (``機關(jī guān)``). ``m`` and ``a`` are
syllables too, but not readings of 程 or 則. Whatever we are not sure about stays;
losing a word is worse than keeping an annotation.

The other normalisations make two copies of the same text compare equal (for
de-duplication, search and diffs) without touching Chinese punctuation, which
carries meaning (、 is not ,) and is the editors' business.
"""

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, pinyin

# Every syllable of Mandarin pinyin without its tone mark (derived from pypinyin's
# character readings, rare ones such as biang included).
_SYLLABLES = """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo
    bong bu ca cai can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng
    chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui
    cun cuo da dai dan dang dao de dei den deng di dia dian diao die din ding diu dong
    dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fiao fo fou fu ga
    gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai
    han hang hao he hei hen heng hm hng hong hou hu hua huai huan huang hui hun huo ji
    jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke
    kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei
    len leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lü lüe
    m ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu n na
    nai nan nang nao ne nei nen neng ng ni nia nian niang niao nie nin ning niu nong
    nou nu nuan nun nuo nü nüe o ou pa pai pan pang pao pei pen peng pi pian piao pie
    pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran
    rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen
    seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan
    shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te tei
    teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng
    wo wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang
    yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng
    zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan
    zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
"""
PINYIN_SYLLABLES = frozenset(_SYLLABLES.split())

# Macron, acute, caron and grave: the four tone marks once decomposed (NFD).
_TONE_MARKS = frozenset("\u0304\u0301\u030c\u0300")
_DIAERESIS = "\u0308"

_CJK = (
    "\u3007"  # 〇
    "\u3400-\u4dbf"  # extension A
    "\u4e00-\u9fff"  # unified ideographs
    "\uf900-\ufaff"  # compatibility ideographs
    "\U00020000-\U0003134f"  # extensions B to G
)
# A bracket glued to a Chinese character, holding no bracket and no line break; the
# callback decides whether its content is pinyin. ASCII and full-width brackets both.
_GLUED_BRACKET = re.compile(rf"(?<=[{_CJK}])[(（](?P<content>[^()（）\n]{{1,60}})[)）]")

_FULL_WIDTH_ALNUM = str.maketrans(
    {
        chr(code): chr(code - 0xFEE0)
        for start, end in (("０", "９"), ("Ａ", "Ｚ"), ("ａ", "ｚ"))
        for code in range(ord(start), ord(end) + 1)
    }
)
_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\x85]")
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")


def clean_text(text: str) -> str:
    """Return ``text`` without pinyin annotations, with width and spacing normalised.

    Line breaks are kept, so the result has as many lines as the input. Tabs survive
    the removal of control characters but, like any other run of horizontal white
    space, collapse to one space.
    """
    text = _NEWLINES.sub("\n", text)
    text = unicodedata.normalize("NFC", text)
    text = "".join(char for char in text if _is_kept(char))
    text = text.translate(_FULL_WIDTH_ALNUM)
    text = _GLUED_BRACKET.sub(_drop_pinyin, text)
    return "\n".join(
        _HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n")
    )


def is_pinyin(content: str) -> bool:
    """Whether a bracket's content is pinyin a converter would have glued in.

    Either syllables separated by spaces, at least one carrying a tone mark, or a
    single toneless lower-case syllable (the neutral tone, as in ``的(de)``).
    """
    syllables = content.split(" ")
    if any(_has_tone_mark(syllable) for syllable in syllables):
        return all(_strip_tones(s).lower() in PINYIN_SYLLABLES for s in syllables)
    return len(syllables) == 1 and content in PINYIN_SYLLABLES


def _is_kept(char: str) -> bool:
    # Cc holds the control characters, Cf the invisible ones: zero-width spaces and
    # joiners, the BOM, and the bidirectional overrides that can disguise text.
    if char in "\n\t":
        return True
    return unicodedata.category(char) not in {"Cc", "Cf"}


def is_reading_of(content: str, han: str) -> bool:
    """Whether the syllables of ``content`` read the last characters of ``han``.

    One syllable per character, in order: ``jī guān`` reads the 機關 that ends
    ``han``. A tone-marked syllable must be one of the character's readings with
    its tone; a toneless one (the neutral tone) one of them without.
    """
    syllables = content.split(" ")
    characters = han[-len(syllables) :]
    if len(characters) < len(syllables):
        return False
    return all(
        _reads(syllable, character)
        for syllable, character in zip(syllables, characters, strict=True)
    )


def _drop_pinyin(match: re.Match[str]) -> str:
    content = match["content"]
    # At most one character per syllable is read, and a bracket holds at most 60.
    before = match.string[max(match.start() - 60, 0) : match.start()]
    if is_pinyin(content) and is_reading_of(content, before):
        return ""
    return match[0]


def _reads(syllable: str, character: str) -> bool:
    if not re.fullmatch(f"[{_CJK}]", character):
        return False
    syllable = unicodedata.normalize("NFC", syllable.lower())
    toned, toneless = _readings(character)
    return syllable in (toned if _has_tone_mark(syllable) else toneless)


@lru_cache(maxsize=4096)
def _readings(character: str) -> tuple[frozenset[str], frozenset[str]]:
    """A character's readings with tone marks, and without (ü kept as ü)."""
    toned = pinyin(character, style=Style.TONE, heteronym=True, errors="ignore")
    toneless = pinyin(
        character, style=Style.NORMAL, heteronym=True, errors="ignore", v_to_u=True
    )
    return (
        frozenset(reading for readings in toned for reading in readings),
        frozenset(reading for readings in toneless for reading in readings),
    )


def _has_tone_mark(syllable: str) -> bool:
    return any(char in _TONE_MARKS for char in unicodedata.normalize("NFD", syllable))


def _strip_tones(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    kept = "".join(
        char
        for char in decomposed
        if not unicodedata.combining(char) or char == _DIAERESIS
    )
    return unicodedata.normalize("NFC", kept)
