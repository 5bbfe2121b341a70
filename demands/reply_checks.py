"""Honest replies: the checks a unit's reply goes through before it is sent.

A reply that says "handled" when nothing was done (虛假辦結) is what 12345 back
offices fight. A good reply says when and how the requester was contacted, what
was done and what came of it; it is not a stock phrase, nor a copy of the unit's
earlier replies with the name changed; work done on the spot comes with a photo.

Each check is a rule over the text, read in simplified characters so that both
scripts give the same answer (``text.script``), with jieba's words
(``text.segment``) for what was done. The checks only flag: the unit may send a
flagged reply after a second confirmation, and the flags are stored with it for
the office (return visit, figures). Near-copies are found by cosine similarity over
character 1–3-gram frequencies (scikit-learn's TfidfVectorizer, IDF off) against
the unit's ``EARLIER_REPLIES`` latest replies.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from demands.models import Demand
from text.script import to_simplified
from text.segment import segment

# when: a date, a weekday, a part of the day or a clock time
_WHEN = re.compile(
    r"\d{1,4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*[日号]|[〇一二三四五六七八九十]+月"
    r"[一二三四五六七八九十廿卅]+[日号]|\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*[点时]|"
    r"[上下中晚]午|早上|晚上|傍晚|今[天日]|昨[天日]|前[天日]|当[天日]|次日|"
    r"(?:周|星期|礼拜)[一二三四五六日天]|\d{1,2}\s*[日号]"
)
# how: the way the requester was reached
_HOW = re.compile(
    r"电话|致电|来电|回电|通话|短信|微信|邮件|上门|入户|现场|面谈|当面|见面|约见|走访|"
    r"座谈|视频"
)
# what was done: words of work, as jieba splits them
_DONE = frozenset(
    [
        "疏通",
        "清淤",
        "清理",
        "清除",
        "维修",
        "修复",
        "修理",
        "抢修",
        "更换",
        "加固",
        "封堵",
        "堵漏",
        "检测",
        "抽检",
        "采样",
        "化验",
        "检查",
        "排查",
        "巡查",
        "复查",
        "勘查",
        "查看",
        "核查",
        "核实",
        "调查",
        "协调",
        "约谈",
        "整改",
        "开挖",
        "铺设",
        "安装",
        "拆除",
        "补办",
        "办理",
        "派员",
        "派出",
        "组织",
        "召开",
        "制定",
        "调整",
        "放水",
        "供水",
        "送水",
        "测量",
        "回填",
        "消毒",
        "冲洗",
        "督促",
        "责令",
        "立案",
        "处罚",
    ]
)
# what came of it, good or bad: a result is a result
_RESULT = re.compile(
    r"已?恢复|正常|畅通|已解决|解决了|得到解决|已完成|完成了|完毕|已修复|已疏通|合格|达标|"
    r"办结|已补办|已办理|消除|不再|结果|满意|认可|无法|未能|暂不|不能|不予|不符合"
)
# stock phrases that say nothing by themselves (simplified)
_STOCK = (
    "已处理完毕",
    "已按规定处理",
    "已转相关部门处理",
    "情况属实已处理",
    "正在处理中",
    "详见答复",
    "已说明情况",
    "已处理",
    "已办结",
    "已解决",
    "已知悉",
    "已收悉",
    "谢谢",
    "感谢您的来信",
    "感谢您的反映",
    "收到",
)
# a reply with fewer characters than this once its stock phrases are out says
# nothing of its own
BOILERPLATE_CHARS = 12
# a copy with the name and date changed scores about 0.65 on a short reply; a
# different reply of the same kind of work about 0.4
NEAR_COPY = 0.6
EARLIER_REPLIES = 200

LABELS: dict[str, Promise] = {
    "no_contact_time": _("It does not say when the requester was contacted."),
    "no_contact_way": _(
        "It does not say how the requester was contacted (phone, visit, on site…)."
    ),
    "no_action": _("It does not say what was done."),
    "no_result": _("It does not say what came of it."),
    "boilerplate": _("It is boilerplate: stock phrases with nothing of this case."),
    "near_copy": _("It is a near-copy of an earlier reply of the unit."),
    "no_photo": _("Work on the spot: attach a photo of the site."),
}


@dataclass(frozen=True)
class Flag:
    code: str
    # near_copy: the earlier demand's tracking number and the similarity (0-100)
    of: str = ""
    score: int = 0

    @property
    def label(self) -> Promise:
        return LABELS[self.code]

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code}
        if self.of:
            data.update(of=self.of, score=self.score)
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Flag":
        return cls(data["code"], data.get("of", ""), int(data.get("score", 0)))


def folded(text: str) -> str:
    """NFKC (full-width digits and colons) in simplified characters."""
    return to_simplified(unicodedata.normalize("NFKC", text))


def _bare(text: str) -> str:
    """The letters and digits of ``text`` only."""
    return "".join(char for char in text if char.isalnum())


def _wording(text: str) -> str:
    """The letters of ``text``, dates and numbers out: a copy changes those."""
    return "".join(char for char in _bare(folded(text)) if not char.isdigit())


def is_boilerplate(text: str) -> bool:
    rest = _bare(folded(text))
    for phrase in _STOCK:
        rest = rest.replace(phrase, "")
    return len(rest) < BOILERPLATE_CHARS


def text_flags(text: str) -> list[Flag]:
    """The checks of the text alone."""
    simple = folded(text)
    flags = []
    if not _WHEN.search(simple):
        flags.append(Flag("no_contact_time"))
    if not _HOW.search(simple):
        flags.append(Flag("no_contact_way"))
    if not _DONE.intersection(segment(simple)):
        flags.append(Flag("no_action"))
    if not _RESULT.search(simple):
        flags.append(Flag("no_result"))
    if is_boilerplate(simple):
        flags.append(Flag("boilerplate"))
    return flags


def nearest(text: str, earlier: list[tuple[str, str]]) -> tuple[str, float] | None:
    """The earlier reply (tracking number, text) most like ``text`` and its cosine
    similarity over character 1–3-gram frequencies."""
    if not earlier:
        return None
    # imported on first use: scikit-learn takes a second to load
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    texts = [_wording(text)] + [_wording(reply) for _no, reply in earlier]
    if not texts[0]:
        return None
    # No IDF: over the unit's own replies it would discount the very wording a
    # copy shares with its original.
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), use_idf=False)
    matrix = vectorizer.fit_transform(texts)
    scores = linear_kernel(matrix[0:1], matrix[1:]).ravel()
    best = int(scores.argmax())
    return earlier[best][0], float(scores[best])


def earlier_replies(demand: Demand) -> list[tuple[str, str]]:
    """The unit's latest replies to other demands (one query), first replies of
    reopened demands included."""
    rows = (
        Demand.objects.filter(unit=demand.unit_id)
        .filter(Q(replied_at__isnull=False) | ~Q(first_reply=""))
        .exclude(pk=demand.pk)
        .order_by("-replied_at", "-pk")
        .values_list("tracking_no", "reply", "first_reply")[:EARLIER_REPLIES]
    )
    found: list[tuple[str, str]] = []
    for number, reply, first in rows:
        found.extend((number or "", text) for text in (reply, first) if text)
    return found


def check_reply(demand: Demand, text: str, *, photos: int = 0) -> list[Flag]:
    """Every flag of ``text`` as the reply to ``demand``, with ``photos`` photos
    attached."""
    flags = text_flags(text)
    match = nearest(text, earlier_replies(demand))
    if match is not None and match[1] >= NEAR_COPY:
        flags.append(Flag("near_copy", of=match[0], score=round(match[1] * 100)))
    category = demand.category
    if category is not None and category.on_site and not photos:
        flags.append(Flag("no_photo"))
    return flags


def flags_of(demand: Demand) -> list[Flag]:
    """The flags stored with the demand's reply."""
    return [Flag.from_data(item) for item in demand.reply_flags or []]
