"""Names, credits and titles written in Chinese, Japanese and Korean scripts."""

from __future__ import annotations

import re
from collections import Counter

# --- Tables -------------------------------------------------------------------------------

# Han, kana and Hangul: the letters of CJK names and titles.
CJK = r"\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
CJK_WORD = re.compile(rf"^[{CJK}]{{1,8}}$")
# A person's name as CJK text writes it: two to five Han or Hangul letters.
CJK_NAME = re.compile(r"^(?:[\u3400-\u4dbf\u4e00-\u9fff]{2,5}|[\uac00-\ud7af]{2,4})$")
# Role words written right after a name: director, Mr/Ms, actor, reporter.
DIRECTOR_SUFFIX = r"(?:監督|감독|导演|導演)"
ROLE_SUFFIXES = ("監督", "감독", "导演", "導演", "さん", "氏", "씨", "배우", "기자", "先生")
NAME_BEFORE_DIRECTOR = re.compile(
    rf"(?P<name>[\u3400-\u4dbf\u4e00-\u9fff]{{2,5}}?|[\uac00-\ud7af]{{2,4}})\s?{DIRECTOR_SUFFIX}"
)
# "取材・文：佐藤健一", "聞き手：…", "이수진 기자": who asked the questions.
CJK_CREDIT = re.compile(
    r"(?:取材・文|取材・構成|取材|聞き手|インタビュアー|インタビュー・文)\s*[：:／/]\s*"
    r"(?P<ja>[\u3400-\u4dbf\u4e00-\u9fff]{2,5})|(?P<ko>[\uac00-\ud7af]{2,4})\s?기자(?![\uac00-\ud7af])"
)
# Titles: 『…』 in Japanese, 《…》 in Chinese, '…' beside 영화 (film) or a director in Korean.
CJK_TITLES = (
    re.compile(r"『(?P<t>[^』]{1,40})』"),
    re.compile(r"《(?P<t>[^》]{1,40})》"),
    re.compile(r"영화\s*['‘](?P<t>[^'’]{1,30})['’]"),
    re.compile(
        rf"['‘](?P<t>[^'’]{{1,30}})['’]\s*(?:의\s*)?[\uac00-\ud7af]{{2,4}}\s?{DIRECTOR_SUFFIX}"
    ),
)
# Label words that name a credit or a caption, not a speaker.
CJK_STOP_LABELS = {"取材", "文", "写真", "撮影", "構成", "取材・文", "사진", "출처", "기자", "제공"}


def is_cjk_label(word: str) -> bool:
    """A label word written in CJK script ("山田", "김민준"), not a credit word."""
    return bool(CJK_WORD.match(word)) and word not in CJK_STOP_LABELS


def fullest_name(label: str, text: str) -> str:
    """ "山田" -> "山田花子": the longest name the text writes starting with the label."""
    if not CJK_WORD.match(label):
        return label
    forms: Counter[str] = Counter()
    for match in re.finditer(rf"{re.escape(label)}[{CJK}]{{0,6}}", text):
        form = match.group(0)
        for suffix in ROLE_SUFFIXES:
            if form.endswith(suffix) and len(form) > len(suffix):
                form = form[: -len(suffix)]
        if CJK_NAME.match(form) and len(form) <= len(label) + 3:
            forms[form] += 1
    longer = [f for f in forms if len(f) > len(label)]
    return max(longer, key=lambda f: (forms[f], len(f))) if longer else label


def directed_names(text: str) -> Counter[str]:
    """Names written before "director" (監督, 감독): the filmmakers the piece is about."""
    return Counter(m.group("name") for m in NAME_BEFORE_DIRECTOR.finditer(text))


def credited_interviewer(text: str) -> str:
    """The interviewer a CJK credit line names, or ""."""
    match = CJK_CREDIT.search(text)
    return (match.group("ja") or match.group("ko")) if match else ""


def cjk_titles(text: str) -> list[str]:
    """Film titles set off as CJK texts set them off."""
    return [m.group("t").strip() for pattern in CJK_TITLES for m in pattern.finditer(text)]
