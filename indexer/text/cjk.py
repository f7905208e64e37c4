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
# Chinese surnames, traditional and simplified (the commonest few hundred, and the compound
# ones): a Chinese name opens with one, a word before 導演 ("邀請導演", "invite the
# director") does not.
CHINESE_SURNAMES = set(
    "王李張张劉刘陳陈楊杨黃黄趙赵吳吴周徐孫孙馬马朱胡郭何高林羅罗鄭郑梁謝谢宋唐許许韓韩馮冯"
    "鄧邓曹彭曾肖蕭萧田董袁潘于蔣蒋蔡余杜葉叶程蘇苏魏呂吕丁任沈姚盧卢姜崔鍾钟譚谭陸陆汪范"
    "金石廖賈贾夏韋韦付傅方白鄒邹孟熊秦邱江尹薛閆闫段雷侯龍龙史陶黎賀贺顧顾毛郝龔龚邵萬万"
    "錢钱嚴严覃武戴莫孔向湯汤常溫温康施文牛樊葛邢安齊齐易喬乔伍龐庞顏颜倪莊庄聶聂章魯鲁岳"
    "翟殷詹申歐欧耿關关蘭兰焦俞左柳甘祝包寧宁尚符舒阮柯紀纪梅童凌畢毕單单季裴霍涂成苗谷盛"
    "曲翁冉駱骆藍蓝路游辛靳管柴蒙鮑鲍華华喻祁蒲房滕屈饒饶解牟艾尤陽阳時时穆農农司卓古吉繆"
    "缪簡简車车項项連连麥麦褚婁娄竇窦戚岑景黨党宮宫費费卜冷晏席衛卫米柏宗瞿桂全佟應应臧閔"
    "闵苟鄔邬邊边卞姬師师仇欒栾隋商刁沙榮荣巫寇桑郎甄叢丛仲虞敖鞏巩明佘池查麻苑遲迟鄺邝賴"
    "赖蓋盖"
)
CHINESE_COMPOUND_SURNAMES = (
    "歐陽 欧阳 司馬 司马 上官 諸葛 诸葛 東方 东方 夏侯 皇甫 尉遲 尉迟 公孫 公孙 慕容 令狐 司徒 "
    "端木 西門 西门 長孫 长孙 宇文 軒轅 轩辕".split()
)
# The Chinese words for "director", written after the name.
CHINESE_DIRECTOR = ("导演", "導演")
# Words that make a job title with "director" ("映画監督", film director; "総監督", chief
# director; "영화감독"), written where a name would stand: no name.
DIRECTOR_COMPOUNDS = ("映画", "総", "助", "共同", "新人", "女性", "若手", "영화", "총", "조")
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


def director_names(text: str) -> Counter[str]:
    """The people written before "director" (`directed_names`), each a person's name: before
    导演/導演, the part of the Han run that opens with a Chinese surname, else no one; no
    one where the word before makes a job title ("映画監督")."""
    found: Counter[str] = Counter()
    for match in NAME_BEFORE_DIRECTOR.finditer(text):
        name = match.group("name")
        suffix = text[match.end() - 2 : match.end()]
        if suffix in CHINESE_DIRECTOR:
            name = chinese_name(name)
        elif name.startswith(DIRECTOR_COMPOUNDS):
            name = ""  # "映画監督の周防正行": the job, the name follows
        if name:
            found[name] += 1
    return found


def chinese_name(run: str) -> str:
    """The longest tail of a run of Han letters shaped like a Chinese name (a surname and one
    or two letters: "歡迎白雪" -> "白雪"), or "" ("邀請")."""
    for start in range(len(run) - 1):
        tail = run[start:]
        compound = tail[:2] in CHINESE_COMPOUND_SURNAMES
        if (compound and 3 <= len(tail) <= 4) or (tail[0] in CHINESE_SURNAMES and len(tail) <= 3):
            return tail
    return ""


def credited_interviewer(text: str) -> str:
    """The interviewer a CJK credit line names, or ""."""
    match = CJK_CREDIT.search(text)
    return (match.group("ja") or match.group("ko")) if match else ""


def cjk_titles(text: str) -> list[str]:
    """Film titles set off as CJK texts set them off."""
    return [m.group("t").strip() for pattern in CJK_TITLES for m in pattern.finditer(text)]
