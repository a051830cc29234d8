"""The words of operative language in the six UN languages, for :mod:`rcphub.followup.detect`.

Each table maps a language to ``(kind, pattern)`` pairs tried in order; the first that matches
gives the kind. Kinds: ``recommendation`` (recommend, encourage, urge, call upon, invite),
``decision`` (decide, agree to, adopt, approve, accept), ``commitment`` (commit, undertake,
intend, plan) and ``request`` (request, ask, entrust, instruct, commission a named body).

* :data:`FINITE` — finite forms, anywhere in a sentence of the meeting's own ("The
  Viceministers ... urged member countries", "Acuerdan", "Se comprometen", "Поручить" is an
  item form, "决定", "يقرر").
* :data:`ITEM` — the infinitive or imperative that opens an item of a list or a clause ("To
  adopt ...", "2. Adoptar ...", "1. Утвердить ...", "; recomendar que ...").
* :data:`NEGATIVE` — what opens a recognition, thanks or note rather than an ask ("Take note
  of", "Thank", "Reconocer", "Agradecer", "Принять к сведению", "Ministers welcomed"); an item
  that says one of these does not inherit its lead-in's kind.
* :data:`NOT_OPERATIVE` — lines that are never tracked: place and date of signature ("Fait à
  Abuja", "Совершено в городе Казани"), plenary meeting lines, entry into force.
* :data:`FOLLOWING` — "the following recommendations / conclusions / decisions" and the like:
  a passage that introduces a list or a document is a lead-in even without a colon.
* :data:`LIST_WORDS` — the nouns that name a list or section of recommendations, conclusions
  or decisions (headings "Conclusions", "Recomendaciones", "Рекомендации", "التوصيات", "建议").

Patterns are matched case-insensitively; Arabic forms allow the conjunctions و / ف in front.
"""

from __future__ import annotations

import re

__all__ = [
    "CITED",
    "FINITE",
    "FOLLOWING",
    "ITEM",
    "LIST_WORDS",
    "NEED",
    "NEGATIVE",
    "NOT_OPERATIVE",
    "VERB_INITIAL",
]

_F = re.IGNORECASE | re.UNICODE
_AR = r"(?<!\w)[وف]?"  # Arabic: a word may carry و / ف
_END = r"(?!\w)"

Table = dict[str, list[tuple[str, re.Pattern[str]]]]


def _table(raw: dict[str, list[tuple[str, str]]]) -> Table:
    return {lang: [(kind, re.compile(p, _F)) for kind, p in pairs] for lang, pairs in raw.items()}


FINITE = _table(
    {
        "en": [
            (
                "commitment",
                r"\b(?:we|they|states|members|countries|governments)\s+(?:also\s+|further\s+)?"
                r"(?:commit|undertake|pledge|resolve|will|shall|intend|plan)\b|"
                r"\bcommit(?:s|ted)?\s+(?:ourselves|themselves)\b|"
                r"\breaffirm(?:s|ed)?\s+(?:our|their)\s+(?:shared\s+|common\s+)?commitment\s+to\b",
            ),
            (
                "request",
                r"\brequest(?:s|ed)?\b(?!\s+(?:from|of)\b)|\basks?\b|\basked\b|"
                r"\bentrust(?:s|ed)?\b|\binstruct(?:s|ed)?\b|\bmandated\b|\bcommissioned\b",
            ),
            (
                "recommendation",
                r"\brecommend(?:s|ed)?\b|\bencourag(?:e|es|ed)\b|\bcall(?:s|ed)?\s+(?:up)?on\b|"
                r"\burg(?:e|es|ed)\b|\binvit(?:e|es|ed)\b|\bexhort(?:s|ed)?\b|\bappeal(?:s|ed)?\s+to\b",
            ),
            (
                "decision",
                r"\bdecide[sd]?\b|\bagree[sd]?\s+to\b|\bagreed\s+(?:on|upon)\s+(?:a|an)\b|"
                r"\bagreed\s+(?:that\s+)?the\s+\w+\s+(?:would|will|should|shall)\b|"
                r"\b(?:we|they|members|ministers|participants|meeting|conference|states|"
                r"countries|delegations|governments|vice-?ministers|have|has)\s+(?:also\s+)?"
                r"(?:adopted|approved|endorsed|established)\b",
            ),
        ],
        "fr": [
            (
                "commitment",
                r"\bnous\s+nous\s+(?:y\s+)?engageons\b|\bs['’]engagent\b|\bs['’]engage\b|"
                r"\b(?:avons|ont)\s+(?:également\s+|aussi\s+)?(?:pour\s+intention|l['’]intention)\b|"
                r"\bnous\s+(?:prévoyons|comptons|entendons|cherchons\s+à|sommes\s+déterminés|"
                r"restons\s+déterminés)\b|\bnous\s+\w+(?:erons|irons)\b|"
                r"\bréaffirm\w*\s+(?:notre|leur)\s+engagement\b",
            ),
            (
                "request",
                r"\bprie(?:nt)?\b|\bdemande(?:nt)?\s+(?:à|aux|au)\b|\bcharge(?:nt)?\s+(?:le|la|les)\b|"
                r"\bmandate(?:nt)?\b",
            ),
            (
                "recommendation",
                r"\brecommand(?:e|ent|ons|é|ée|és|ées)\b|\bencourag(?:e|ent|eons)\b|"
                r"\bexhort(?:e|ent|ons)\b|\binvit(?:e|ent|ons)\b|\bengage(?:nt)?\s+(?:les|tous|toutes|l['’])|"
                r"\bappell?(?:e|ent)\s+(?:les|tous|à)\b|\blanc(?:e|ent)\s+un\s+appel\b|"
                r"\bdemande(?:nt)?\s+instamment\b",
            ),
            (
                "decision",
                r"\bdécid(?:e|ent|ons)\b|\bont\s+décidé\b|\bconvien(?:nent|t)\b|\bsont\s+convenus\b|"
                r"\bavons\s+convenu\b|\badopt(?:e|ent|ons)\s+(?!la\s+(?:présente|suivante))|"
                r"\bapprouv(?:e|ent|ons)\b",
            ),
        ],
        "es": [
            (
                "commitment",
                r"\bnos\s+comprometemos\b|\bse\s+comprometen\b|\bse\s+comprometieron\b|"
                r"\bse\s+compromete\b|\bseguimos\s+comprometidos\b|\bnos\s+proponemos\b|"
                r"\bpretendemos\b|\btenemos\s+(?:previsto|la\s+intención)\b|\bprevemos\b|"
                r"\bprocuramos\b|\basum(?:en|imos|ieron)\s+el\s+compromiso\b|"
                r"\b(?:reafirm|renov)(?:amos|an|aron)\s+(?:nuestro|su)\s+compromiso\b",
            ),
            (
                "request",
                r"\bsolicit(?:a|an|aron|ó)\b|\bpid(?:e|en|ieron)\b|\bencomiend(?:a|an)\b|"
                r"\bencomendaron\b|\bencarg(?:a|an|aron)\b|\binstruy(?:e|en|eron)\b|"
                r"\bcomision(?:a|an|aron)\b|\bmandat(?:a|an|aron)\b",
            ),
            (
                "recommendation",
                r"\brecomiend(?:a|an)\b|\brecomendaron\b|\brecomendó\b|\balient(?:a|an)\b|"
                r"\balentaron\b|\bexhort(?:a|an|aron)\b|\binst(?:a|an|aron)\b|\binvit(?:a|an|aron)\b|"
                r"\bhac(?:e|en)\s+un\s+llamad[oa]\b|\bhicieron\s+un\s+llamad[oa]\b|"
                r"\bhac(?:e|en)\s+un\s+llamamiento\b|\bhicieron\s+un\s+llamamiento\b|"
                r"\bllam(?:a|an|aron)\s+a\s+(?:los|las|todos|todas)\b",
            ),
            (
                "decision",
                r"\bacuerd(?:a|an)\b|\bacordaron\b|\bacordó\b|\bse\s+acordó\b|\bdecid(?:e|en|ieron)\b|"
                r"\bdecidió\b|\bresuelv(?:e|en)\b|\bresolvieron\b|\baprob(?:aron|ó)\b|\baprueb(?:a|an)\b|"
                r"\bconvien(?:e|en)\s+en\b|\bconvinieron\b",
            ),
        ],
        "ru": [
            (
                "commitment",
                r"(?<!\w)(?:обязу(?:ются|емся|ется)|бер(?:ут|ем|ёт)\s+на\s+себя\s+обязательств\w*|"
                r"намерены|вновь\s+подтверждают\s+(?:свою|свои)\s+приверженност\w*\s+(?:к|делу))(?!\w)",
            ),
            (
                "request",
                r"(?<!\w)(?:прос(?:ит|ят|или)|поруча(?:ет|ют)|поручил[аи]?|поручено)(?!\w)",
            ),
            (
                "recommendation",
                r"(?<!\w)(?:рекоменд(?:ует|уют|овали|овал|овала)|призыва(?:ет|ют|ли)|призвали|"
                r"призвал|поощря(?:ет|ют|ли)|предлага(?:ет|ют|ли)|настоятельно\s+призыва\w*)(?!\w)",
            ),
            (
                "decision",
                r"(?<!\w)(?:реши(?:ли|л|ла)|реша(?:ет|ют)|постанови(?:ли|л)|постановля(?:ет|ют)|"
                r"договорились|приняли\s+решение|принял[аи]?\s+решение)(?!\w)",
            ),
        ],
        "ar": [
            (
                "commitment",
                _AR + r"(?:نلتزم|يلتزمون|تلتزم|نتعهد|يتعهدون|تتعهد|نعتزم|يعتزمون)" + _END,
            ),
            (
                "request",
                _AR + r"(?:يطلب|تطلب|يطلبون|طلب|طلبوا|نطلب|يكلف|تكلف|كلف|يعهد|تعهد\s+إلى)" + _END,
            ),
            (
                "recommendation",
                _AR + r"(?:يوصي|يوصون|توصي|أوصى|أوصوا|نوصي|يشجع|يشجعون|تشجع|شجع|شجعوا|نشجع|يهيب|"
                r"تهيب|أهاب|أهابوا|يدعو|يدعون|تدعو|دعا|دعوا|ندعو|يحث|يحثون|تحث|حث|حثوا|نحث)" + _END,
            ),
            (
                "decision",
                _AR + r"(?:يقرر|يقررون|تقرر|قرر|قرروا|قررت|نقرر|اتفقوا\s+على|نتفق\s+على)" + _END,
            ),
        ],
        "zh": [
            (
                "commitment",
                r"(?:承诺|决心|致力于|(?:我们|各方|各国|与会者|成员国)(?:将|愿)(?:继续)?)",
            ),
            (
                "request",
                r"(?:请(?=秘书长|秘书处|各|会员国|主席|国际|联合国|有关)|要求(?=秘书|各|会员国)|责成|委托)",
            ),
            ("recommendation", r"(?:建议|鼓励|呼吁|促请|敦促|吁请|邀请(?=各|会员国|所有)|号召)"),
            ("decision", r"(?:决定|商定|一致同意)"),
        ],
    }
)

ITEM = _table(
    {
        "en": [
            (
                "decision",
                r"^(?:to\s+)?(?:adopt|approve|accept|establish|create|decide|agree|hold|organi[sz]e|designate|convene|endorse|renew|extend)\b",
            ),
            ("request", r"^(?:to\s+)?(?:request|ask|entrust|instruct|mandate|commission|task)\b"),
            (
                "recommendation",
                r"^(?:to\s+)?(?:recommend|encourage|urge|invite|call\s+(?:up)?on|exhort)\b",
            ),
            ("commitment", r"^(?:to\s+)?(?:commit|undertake|pledge)\b"),
        ],
        "fr": [
            (
                "decision",
                r"^(?:adopter|approuver|accepter|créer|établir|décider|convenir|organiser|tenir|désigner|convoquer|entériner)\b",
            ),
            ("request", r"^(?:demander|prier|charger|mandater|solliciter)\b"),
            ("recommendation", r"^(?:recommander|encourager|exhorter|inviter|appeler|engager)\b"),
            ("commitment", r"^(?:s['’]engager)\b"),
        ],
        "es": [
            (
                "decision",
                r"^(?:aceptar|adoptar|aprobar|establecer|crear|decidir|acordar|realizar|celebrar|designar|convocar|respaldar|renovar)\b",
            ),
            (
                "request",
                r"^(?:solicitar|pedir|encomendar|enconmendar|encargar|comisionar|instruir|mandatar)\b",
            ),
            (
                "recommendation",
                r"^(?:recomendar|alentar|instar|exhortar|invitar|animar|hacer\s+un\s+llamad[oa])\b",
            ),
            ("commitment", r"^(?:comprometerse)\b"),
        ],
        "ru": [
            (
                "decision",
                r"^(?:утвердить|одобрить|принять(?!\s+к\s+сведению)|создать|учредить|направить|провести|образовать|согласиться)(?!\w)",
            ),
            ("request", r"^(?:поручить|просить|обратиться\s+к)(?!\w)"),
            ("recommendation", r"^(?:рекомендовать|предложить|призвать)(?!\w)"),
        ],
        "ar": [
            ("decision", r"^(?:الموافقة\s+على|اعتماد|إنشاء|تقرير)"),
            ("request", r"^(?:الطلب\s+إلى|تكليف|الطلب\s+من)"),
            ("recommendation", r"^(?:التوصية|دعوة|حث|تشجيع)"),
        ],
        "zh": [
            ("decision", r"^(?:决定|同意|通过|设立|批准)"),
            ("request", r"^(?:请|要求|责成)"),
            ("recommendation", r"^(?:建议|鼓励|呼吁|促请|敦促)"),
        ],
    }
)

NEGATIVE = {
    lang: re.compile(pattern, _F)
    for lang, pattern in {
        "en": r"^(?:to\s+)?(?:take\s+note|make\s+note|note|thank|congratulate|commend|welcome|"
        r"recogni[sz]e|acknowledge|express|reaffirm|reiterate|recall|highlight|stress|underline|"
        r"emphasi[sz]e)\b|\b(?:welcomed|noted|recalled|acknowledged|thanked|commended|"
        r"recogni[sz]ed|reaffirmed|expressed|congratulated|took\s+note)\b",
        "fr": r"^(?:prendre\s+note|remercier|féliciter|saluer|se\s+féliciter|reconnaître|"
        r"réaffirmer|rappeler|exprimer|souligner|considérant|rappelant|notant|reconnaissant)\b|"
        r"\b(?:saluons|saluent|remercions|remercient|reconnaissons|reconnaissent|rappelons|"
        r"prenons\s+note|prennent\s+note|se\s+félicitent|nous\s+félicitons)\b",
        "es": r"^(?:tomar\s+nota|agradecer|felicitar|reconocer|expresar|acoger|saludar|"
        r"reafirmar|reiterar|destacar|subrayar|resaltar|recordar|valorar|manifestar|"
        r"considerando|reconociendo|recordando|reafirmando|tomando\s+nota)\b|"
        r"\b(?:agradeci(?:ó|eron)|recibieron\s+con\s+beneplácito|tomaron\s+nota|"
        r"reconoc(?:ieron|emos|en)|felicitaron|saludaron|valoramos)\b",
        "ru": r"^(?:принять\s+к\s+сведению|приветствовать|отметить|признать|выразить|"
        r"поблагодарить|подтвердить|вновь\s+подтвердить|ссылаясь|признавая|учитывая|"
        r"отмечая|приветствуя|вновь\s+подтверждая)(?!\w)|(?<!\w)(?:приветствовали|"
        r"отметили|признали|выразили|поблагодарили|приняли\s+к\s+сведению)(?!\w)",
        "ar": r"^(?:[وف]?إذ\s|الإحاطة\s+علما|الترحيب|شكر|الإشادة)|(?<!\w)[وف]?(?:رحب|رحبوا|"
        r"يرحب|ترحب|أحاط|أحاطوا|يحيط|تحيط|أشاد|أشادوا|شكر|شكروا)(?!\w)",
        "zh": r"^(?:回顾|重申|认识到|注意到|确认|欢迎|赞赏|感谢|表示|铭记|考虑到)|"
        r"(?:表示感谢|表示衷心感谢|表示赞赏)",
    }.items()
}

NOT_OPERATIVE = {
    lang: re.compile(pattern, _F)
    for lang, pattern in {
        "en": r"^(?:done|signed|adopted)\s+(?:at|in)\s|^\d+\S*\s+plenary\s+meeting\b|"
        r"\b(?:shall\s+enter|enters|entered)\s+into\s+force\b",
        "fr": r"^fait\s+à\s|^\d+\S*\s+séance\s+plénière\b|"
        r"\bentr(?:e|era|ent|eront)\s+en\s+vigueur\b",
        "es": r"^(?:hecho|dado|suscrito|firmado)\s+en\s|^\d+\S*\s+sesión\s+plenaria\b|"
        r"\bentra(?:rá|n|rán)?\s+en\s+vigor\b",
        "ru": r"^совершено\s+в\s|^\d+\S*\s+пленарное\s+заседание(?!\w)|"
        r"(?<!\w)вступ(?:ает|ил|ило|ят|ит)\s+в\s+силу",
        "ar": r"^(?:حرر|صدر)\s+في|^الجلسة\s+العامة|حيز\s+النفاذ",
        "zh": r"^.{0,20}于.{0,20}签署|^第\S{1,6}次全体会议|(?:起|之日)生效",
    }.items()
}

FOLLOWING = {
    lang: re.compile(pattern, _F)
    for lang, pattern in {
        "en": r"\bthe\s+following\b(?:\s+\w+){0,3}|\bas\s+follows\b",
        "fr": r"\b(?:les|la|le)\s+(?:\w+\s+){0,2}suivant(?:e|es|s)?\b|\bci-après\b",
        "es": r"\b(?:los|las|la|el|lo)\s+(?:\w+\s+){0,2}siguientes?\b",
        "ru": r"(?<!\w)(?:следующ\w+|нижеследующ\w+)(?!\w)",
        "ar": r"(?:التالية|التالي|ما\s+يلي|بما\s+يأتي|ما\s+يأتي)",
        "zh": r"(?:以下|如下)",
    }.items()
}

LIST_WORDS = {
    "conclusion": {
        "en": r"\bconclu(?:sions?|ded)\b",
        "fr": r"\bconclusions?\b",
        "es": r"\bconclusi(?:ón|on|ones)\b|\bconcluy(?:ó|eron)\b",
        "ru": r"(?:заключени|вывод(?:ы|ов|ам|ах)?(?!\w))",
        "ar": r"استنتاج",
        "zh": r"结论",
    },
    "recommendation": {
        "en": r"\brecommendations?\b",
        "fr": r"\brecommandations?\b",
        "es": r"\brecomendaci(?:ón|on|ones)\b",
        "ru": r"рекомендаци",
        "ar": r"(?:توصيات|التوصية|توصية)",
        "zh": r"建议",
    },
    "decision": {
        "en": r"\bdecisions?\b",
        "fr": r"\bdécisions?\b",
        "es": r"\b(?:decisiones|acuerdos)\b",
        "ru": r"(?<!\w)решени[яй](?!\w)",
        "ar": r"(?:قرارات|المقررات)",
        "zh": r"决定",
    },
}
LIST_WORDS_RE = {
    kind: {lang: re.compile(p, _F) for lang, p in table.items()}
    for kind, table in LIST_WORDS.items()
}

# "stressed the need to": a specific ask, weaker than an operative verb (the Lima guidelines).
NEED = {
    lang: re.compile(pattern, _F)
    for lang, pattern in {
        "en": r"\b(?:stress(?:ed|es)?|underlin(?:ed|es)|emphasi[sz](?:ed|es)|reiterated)\s+"
        r"the\s+need\b",
        "fr": r"\b(?:soulign\w+|insist\w+|rappel\w+)\s+(?:sur\s+)?la\s+nécessité\b",
        "es": r"\b(?:subray\w+|destac\w+|recalc\w+|hicieron hincapié en|insistieron en)\s+la\s+"
        r"necesidad\b",
        "ru": r"(?:подчеркну\w*|отмети\w*|указа\w*)\s+(?:на\s+)?необходимост\w*",
        "ar": r"(?<!\w)[وف]?(?:شدد|شددوا|أكد|أكدوا|يشدد|يؤكد|يؤكدون)\s+(?:على\s+)?(?:ضرورة|الحاجة)",
        "zh": r"强调(?:了)?(?:必须|需要|有必要)",
    }.items()
}

# A resolution cited earlier in the same sentence owns the call that follows.
CITED = {
    lang: re.compile(pattern, _F)
    for lang, pattern in {
        "en": r"\bresolutions?\b",
        "fr": r"\brésolutions?\b",
        "es": r"\bresoluci(?:ón|ones)\b",
        "ru": r"резолюци",
        "ar": r"(?<!\w)(?:ال)?قرار(?:ي|ات|ين)?(?!\w)",
        "zh": r"决议",
    }.items()
}

# Items of a list that open with a verb (no number, no letter): infinitives in fr/es/ru, and in
# English the imperatives of policy lists or "X to do" (the MIDSA style).
VERB_INITIAL = {
    lang: re.compile(pattern, _F)
    for lang, pattern in {
        "en": r"^(?:to\s+[a-z]+|(?:enhance|improve|promote|strengthen|ensure|develop|establish|"
        r"support|address|encourage|facilitate|increase|expand|explore|consider|review|share|"
        r"continue|provide|adopt|implement|create|conduct|undertake|build|harmoni[sz]e|"
        r"integrate|mainstream|invest|prioriti[sz]e|work|engage|convene|organi[sz]e|hold|"
        r"collect|set\s+up|reduce|combat|prevent|protect|raise|foster|mobili[sz]e|include|"
        r"identify|assess|monitor|urge|invite|request|recommend|call)\b)|"
        r"^[^.;:]{3,120}?\bto\s+(?:pursue|continue|develop|establish|prepare|consider|"
        r"review|submit|report|convene|organi[sz]e|coordinate|facilitate|support|ensure|"
        r"undertake|lead|explore|provide)\b",
        "fr": r"^[a-zà-ÿ’']+(?:er|ir|re)\b",
        "es": r"^[a-záéíóúñ]+(?:ar|er|ir)(?:se|lo|la|los|las)?\b",
        "ru": r"^[а-яё]+(?:ть|ти|чь)(?:ся)?(?!\w)",
        "ar": r"^(?:ال)\w+",
        "zh": r"^(?:加强|推动|促进|支持|建立|开展|确保|改善|提高|扩大|鼓励|呼吁)",
    }.items()
}
