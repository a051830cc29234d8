# ruff: noqa: E501  (fixture text: one paragraph per line reads better than wrapped strings)
"""One chair's summary-like outcome document in six language versions, as structured specs.

Each spec is a list of elements in reading order, with page breaks and footnote bodies where
a paged rendering (the .txt in the style of the Lima text, the PDF) puts them; the flowing
renderings (.md, .html, .docx) join a paragraph cut by a page break and collect the footnotes.

    ("lines", [...])            masthead lines
    ("heading", text)
    ("para", text)              footnote markers as [^1] / [^*]
    ("pagebreak",)
    ("footnote", id, text)
    ("signature", [...])

Every version prints its own script's labels ((a), a), а), (أ), ’1‘, ㈠ ...) and must give
:data:`EXPECTED_REFS`.
"""

from __future__ import annotations

import datetime as dt

EXPECTED_REFS = [
    "h1", "1", "2", "3", "fn1", "4", "4.a", "4.b", "4.c", "4.c.i", "4.c.ii", "4.d", "h2", "5",
    "6", "sig1", "fn-star", "h3", "annex.1", "annex.2", "p1",
]  # fmt: skip
EXPECTED_DATE = dt.date(2013, 6, 28)

EN = [
    ("lines", ["General Assembly", "Distr.: General", "28 June 2013", "Original: English"]),
    ("lines", ["Sixty-eighth session", "Item 21 (e) of the preliminary list[^*]"]),
    ("heading", "Globalization and interdependence: international migration and development"),
    ("heading", "Fourth Global Meeting of Chairs and Secretariats of Regional Consultative Processes on Migration: Chair’s summary"),
    ("para", "1. The Fourth Global Meeting of Chairs and Secretariats of Regional Consultative Processes on Migration, on the theme “Defining the role of regional consultative processes in the changing migration landscape”, took place in Lima on 22 and 23 May 2013."),
    ("para", "2. Participants included representatives of the chairs and secretariats of regional consultative processes[^1] as well as experts from the International Organization for Migration and the International Labour Organization."),
    ("para", "3. As host of the previous global meeting, held in 2011, the Government of Botswana shared the outcomes of that meeting. Representatives of the Bali Process, the Budapest Process and the Migration Dialogue for Southern Af-"),
    ("pagebreak",),
    ("footnote", "1", "Abu Dhabi Dialogue; Bali Process; Budapest Process; Colombo Process; Puebla Process; South American Conference on Migration."),
    ("para", "rica recalled the main features of their dialogue and the concrete measures taken since the previous meeting."),
    ("para", "4. Participants highlighted the following key issues:"),
    ("para", "(a) migration has become a more important area of global policy and concerns virtually all States in all regions;"),
    ("para", "(b) engagement should continue at the national, regional and interregional levels for the benefit of migrants and States;"),
    ("para", "(c) regional consultative processes can play an important role in:"),
    ("para", "(i) preparing for discussions at the global level;"),
    ("para", "(ii) disseminating the results of global discussions in the regions;"),
    ("para", "(d) the knowledge base on migration and development should be strengthened."),
    ("heading", "Conclusions"),
    ("para", "5. Participants recommended that regional consultative processes exchange information more regularly with the global dialogues on migration and development."),
    ("para", "6. Participants expressed their deep gratitude to the Government of Peru for its hospitality and for the coordination of the discussions."),
    ("signature", ["(Signed) Enrique Román-Morey", "Ambassador", "Permanent Representative of Peru to the United Nations"]),
    ("footnote", "*", "A/68/50."),
    ("heading", "Annex"),
    ("para", "1. The list of participating processes and organizations was circulated to all participants at the meeting."),
    ("para", "2. The next global meeting of chairs and secretariats is expected to take place in 2015."),
    ("para", "Lima, 23 May 2013"),
]  # fmt: skip

FR = [
    ("lines", ["Assemblée générale", "Distr. générale", "28 juin 2013", "Français", "Original : anglais"]),
    ("lines", ["Soixante-huitième session", "Point 21 e) de la liste préliminaire[^*]"]),
    ("heading", "Mondialisation et interdépendance : migrations internationales et développement"),
    ("heading", "Quatrième Réunion mondiale des présidents et secrétariats des processus consultatifs régionaux sur les migrations : résumé de la présidence"),
    ("para", "1. La quatrième Réunion mondiale des présidents et secrétariats des processus consultatifs régionaux sur les migrations, consacrée au thème « Définir le rôle des processus consultatifs régionaux dans l’évolution des migrations », s’est tenue à Lima les 22 et 23 mai 2013."),
    ("para", "2. Y ont participé des représentants des présidences et des secrétariats des processus consultatifs régionaux[^1] ainsi que des experts de l’Organisation internationale pour les migrations et de l’Organisation internationale du Travail."),
    ("para", "3. En sa qualité d’hôte de la précédente réunion mondiale, tenue en 2011, le Gouvernement botswanais a présenté les résultats de cette réunion. Les représentants du Processus de Bali, du Processus de Budapest et du Dialogue sur les migrations pour l’Afrique aus-"),
    ("pagebreak",),
    ("footnote", "1", "Dialogue d’Abou Dhabi ; Processus de Bali ; Processus de Budapest ; Processus de Colombo ; Processus de Puebla ; Conférence sud-américaine sur les migrations."),
    ("para", "trale ont rappelé les principales caractéristiques de leur dialogue et les mesures concrètes prises depuis la réunion précédente."),
    ("para", "4. Les participants ont souligné les questions essentielles suivantes :"),
    ("para", "a) les migrations sont devenues un domaine plus important de la politique mondiale et concernent pratiquement tous les États de toutes les régions ;"),
    ("para", "b) la collaboration doit se poursuivre aux niveaux national, régional et interrégional, dans l’intérêt des migrants et des États ;"),
    ("para", "c) les processus consultatifs régionaux peuvent jouer un rôle important :"),
    ("para", "i) dans la préparation des débats au niveau mondial ;"),
    ("para", "ii) dans la diffusion des résultats des débats mondiaux dans les régions ;"),
    ("para", "d) la base de connaissances sur les migrations et le développement devrait être renforcée."),
    ("heading", "Conclusions"),
    ("para", "5. Les participants ont recommandé que les processus consultatifs régionaux échangent plus régulièrement des informations avec les dialogues mondiaux sur les migrations et le développement."),
    ("para", "6. Les participants ont exprimé leur profonde gratitude au Gouvernement péruvien pour son hospitalité et pour la coordination des débats."),
    ("signature", ["(Signé) Enrique Román-Morey", "Ambassadeur", "Représentant permanent du Pérou auprès de l’Organisation des Nations Unies"]),
    ("footnote", "*", "A/68/50."),
    ("heading", "Annexe"),
    ("para", "1. La liste des processus et organisations participants a été distribuée à tous les participants à la réunion."),
    ("para", "2. La prochaine réunion mondiale des présidents et secrétariats devrait se tenir en 2015."),
    ("para", "Lima, le 23 mai 2013"),
]  # fmt: skip

ES = [
    ("lines", ["Asamblea General", "Distr. general", "28 de junio de 2013", "Español", "Original: inglés"]),
    ("lines", ["Sexagésimo octavo período de sesiones", "Tema 21 e) de la lista preliminar[^*]"]),
    ("heading", "Globalización e interdependencia: migración internacional y desarrollo"),
    ("heading", "Cuarta Reunión Mundial de Presidentes y Secretarías de los Procesos Consultivos Regionales sobre Migración: resumen de la Presidencia"),
    ("para", "1. La Cuarta Reunión Mundial de Presidentes y Secretarías de los Procesos Consultivos Regionales sobre Migración, dedicada al tema “Definición del papel de los procesos consultivos regionales en el cambiante panorama de la migración”, se celebró en Lima los días 22 y 23 de mayo de 2013."),
    ("para", "2. Participaron representantes de las presidencias y secretarías de los procesos consultivos regionales[^1], así como expertos de la Organización Internacional para las Migraciones y de la Organización Internacional del Trabajo."),
    ("para", "3. En su calidad de anfitrión de la reunión mundial anterior, celebrada en 2011, el Gobierno de Botswana dio a conocer los resultados de esa reunión. Los representantes del Proceso de Bali, del Proceso de Budapest y del Diálogo sobre la Migración para el África Meri-"),
    ("pagebreak",),
    ("footnote", "1", "Diálogo de Abu Dhabi; Proceso de Bali; Proceso de Budapest; Proceso de Colombo; Proceso de Puebla; Conferencia Sudamericana sobre Migraciones."),
    ("para", "dional recordaron las características principales de su diálogo y las medidas concretas adoptadas desde la reunión anterior."),
    ("para", "4. Los participantes destacaron las siguientes cuestiones fundamentales:"),
    ("para", "a) la migración se ha convertido en un ámbito más importante de la política mundial y afecta prácticamente a todos los Estados de todas las regiones;"),
    ("para", "b) la colaboración debe continuar en los planos nacional, regional e interregional en beneficio de los migrantes y de los Estados;"),
    ("para", "c) los procesos consultivos regionales pueden desempeñar un papel importante:"),
    ("para", "i) en la preparación de los debates a nivel mundial;"),
    ("para", "ii) en la difusión de los resultados de los debates mundiales en las regiones;"),
    ("para", "d) debería fortalecerse la base de conocimientos sobre la migración y el desarrollo."),
    ("heading", "Conclusiones"),
    ("para", "5. Los participantes recomendaron que los procesos consultivos regionales intercambien información con mayor regularidad con los diálogos mundiales sobre la migración y el desarrollo."),
    ("para", "6. Los participantes expresaron su profundo agradecimiento al Gobierno del Perú por su hospitalidad y por la coordinación de los debates."),
    ("signature", ["(Firmado) Enrique Román-Morey", "Embajador", "Representante Permanente del Perú ante las Naciones Unidas"]),
    ("footnote", "*", "A/68/50."),
    ("heading", "Anexo"),
    ("para", "1. La lista de los procesos y organizaciones participantes se distribuyó a todos los participantes en la reunión."),
    ("para", "2. Está previsto que la próxima reunión mundial de presidentes y secretarías se celebre en 2015."),
    ("para", "Lima, 23 de mayo de 2013"),
]  # fmt: skip

RU = [
    ("lines", ["Генеральная Ассамблея", "Distr.: General", "28 June 2013", "Russian", "Original: English"]),
    ("lines", ["Шестьдесят восьмая сессия", "Пункт 21(е) первоначального перечня[^*]"]),
    ("heading", "Глобализация и взаимозависимость: международная миграция и развитие"),
    ("heading", "Четвертое Глобальное совещание председателей и секретариатов региональных консультативных процессов по вопросам миграции: резюме Председателя"),
    ("para", "1. Четвертое Глобальное совещание председателей и секретариатов региональных консультативных процессов по вопросам миграции на тему «Определение роли региональных консультативных процессов в изменении условий международной миграции» состоялось в Лиме 22 и 23 мая 2013 года."),
    ("para", "2. Участие в Совещании приняли представители председателей и секретариатов региональных консультативных процессов[^1], а также эксперты Международной организации по миграции и Международной организации труда."),
    ("para", "3. В качестве страны, принимавшей предыдущее глобальное совещание в 2011 году, правительство Ботсваны распространило результаты его работы. Представители Балийского процесса, Будапештского процесса и Диалога по во-"),
    ("pagebreak",),
    ("footnote", "1", "Абу-Дабийский диалог; Балийский процесс; Будапештский процесс; Коломбский процесс; Пуэблский процесс; Южноамериканская конференция по вопросам миграции."),
    ("para", "просам миграции для южной части Африки вновь подчеркнули основные особенности их диалога и конкретные меры, принятые после предыдущего совещания."),
    ("para", "4. Участники особо подчеркнули следующие основные вопросы:"),
    ("para", "а) миграция стала более важной областью глобальной политики и касается практически всех государств во всех регионах;"),
    ("para", "б) необходимо продолжать взаимодействие на национальном, региональном и межрегиональном уровнях в интересах мигрантов и государств;"),
    ("para", "в) региональные консультативные процессы могут играть важную роль:"),
    ("para", "i) в подготовке к обсуждениям на глобальном уровне;"),
    ("para", "ii) в распространении результатов глобальных обсуждений в регионах;"),
    ("para", "г) следует укреплять базу знаний по вопросам миграции и развития."),
    ("heading", "Выводы"),
    ("para", "5. Участники рекомендовали региональным консультативным процессам более регулярно обмениваться информацией с глобальными диалогами по вопросам миграции и развития."),
    ("para", "6. Участники выразили глубокую признательность правительству Перу за гостеприимство и координацию проведенных обсуждений."),
    ("signature", ["(Подпись) Энрике Роман-Морей", "Посол", "Постоянный представитель Перу при Организации Объединенных Наций"]),
    ("footnote", "*", "A/68/50."),
    ("heading", "Приложение"),
    ("para", "1. Список участвовавших процессов и организаций был распространен среди всех участников совещания."),
    ("para", "2. Следующее глобальное совещание председателей и секретариатов планируется провести в 2015 году."),
    ("para", "Лима, 23 мая 2013 года"),
]  # fmt: skip

AR = [
    ("lines", ["الجمعية العامة", "Distr.: General", "28 June 2013", "Arabic", "Original: English"]),
    ("lines", ["الدورة الثامنة والستون", "البند 21 (هـ) من القائمة الأولية[^*]"]),
    ("heading", "العولمة والترابط: الهجرة الدولية والتنمية"),
    ("heading", "الاجتماع العالمي الرابع لرؤساء وأمانات العمليات التشاورية الإقليمية المعنية بالهجرة: موجز الرئيس"),
    ("para", "1 - عُقد الاجتماع العالمي الرابع لرؤساء وأمانات العمليات التشاورية الإقليمية المعنية بالهجرة، تحت عنوان ”تحديد دور العمليات التشاورية الإقليمية في المشهد المتغير للهجرة“، في ليما يومي 22 و 23 أيار/مايو 2013."),
    ("para", "2 - وشارك في الاجتماع ممثلون عن رؤساء وأمانات العمليات التشاورية الإقليمية[^1] وكذلك خبراء من المنظمة الدولية للهجرة ومنظمة العمل الدولية."),
    ("para", "3 - وبصفتها البلد المضيف للاجتماع العالمي السابق المعقود في عام 2011، عرضت حكومة بوتسوانا نتائج ذلك الاجتماع. واستعرض ممثلو عملية بالي وعملية بودابست وحوار الهجرة"),
    ("pagebreak",),
    ("footnote", "1", "حوار أبو ظبي؛ عملية بالي؛ عملية بودابست؛ عملية كولومبو؛ عملية بويبلا؛ مؤتمر أمريكا الجنوبية المعني بالهجرة."),
    ("para", "للجنوب الأفريقي السمات الرئيسية لحوارهم والتدابير الملموسة المتخذة منذ الاجتماع السابق."),
    ("para", "4 - وأبرز المشاركون المسائل الرئيسية التالية:"),
    ("para", "(أ) أصبحت الهجرة مجالا أكثر أهمية في السياسة العالمية وهي تعني جميع الدول تقريبا في جميع المناطق؛"),
    ("para", "(ب) ينبغي مواصلة التعاون على الصعد الوطني والإقليمي والأقاليمي لما فيه صالح المهاجرين والدول؛"),
    ("para", "(ج) يمكن للعمليات التشاورية الإقليمية أن تؤدي دورا هاما في ما يلي:"),
    ("para", "’1‘ التحضير للمناقشات على الصعيد العالمي؛"),
    ("para", "’2‘ نشر نتائج المناقشات العالمية في المناطق؛"),
    ("para", "(د) ينبغي تعزيز قاعدة المعارف المتعلقة بالهجرة والتنمية."),
    ("heading", "الاستنتاجات"),
    ("para", "5 - وأوصى المشاركون بأن تتبادل العمليات التشاورية الإقليمية المعلومات بانتظام أكبر مع الحوارات العالمية المتعلقة بالهجرة والتنمية."),
    ("para", "6 - وأعرب المشاركون عن عميق امتنانهم لحكومة بيرو على كرم ضيافتها وعلى تنسيق المناقشات."),
    ("signature", ["(توقيع) إنريكي رومان موري", "السفير", "الممثل الدائم لبيرو لدى الأمم المتحدة"]),
    ("footnote", "*", "A/68/50."),
    ("heading", "المرفق"),
    ("para", "1 - عُممت قائمة العمليات والمنظمات المشاركة على جميع المشاركين في الاجتماع."),
    ("para", "2 - ومن المتوقع أن يعقد الاجتماع العالمي المقبل للرؤساء والأمانات في عام 2015."),
    ("para", "ليما، 23 أيار/مايو 2013"),
]  # fmt: skip

ZH = [
    ("lines", ["大会", "Distr.: General", "28 June 2013", "Chinese", "Original: English"]),
    ("lines", ["第六十八届会议", "暂定项目清单项目21(e)[^*]"]),
    ("heading", "全球化和相互依存：国际移徙与发展"),
    ("heading", "区域移徙问题协商进程主席和秘书处第四次全球会议：主席的总结"),
    ("para", "1. 区域移徙问题协商进程主席和秘书处第四次全球会议于2013年5月22日和23日在利马举行，主题是“界定区域协商进程在不断变化的移徙形势中的作用”。"),
    ("para", "2. 与会者包括区域协商进程主席和秘书处的代表[^1]以及国际移民组织和国际劳工组织的专家。"),
    ("para", "3. 作为2011年上一次全球会议的东道国，博茨瓦纳政府介绍了该次会议的成果。巴厘进程、布达佩斯进程和南部非洲移徙"),
    ("pagebreak",),
    ("footnote", "1", "阿布扎比对话；巴厘进程；布达佩斯进程；科伦坡进程；普埃布拉进程；南美洲移徙问题会议。"),
    ("para", "问题对话的代表回顾了各自对话的主要特点以及上次会议以来采取的具体措施。"),
    ("para", "4. 与会者着重指出了以下关键问题："),
    ("para", "(a) 移徙已成为全球政策中更加重要的领域，几乎涉及所有区域的所有国家；"),
    ("para", "(b) 应继续在国家、区域和区域间各级开展合作，造福移民和各国；"),
    ("para", "(c) 区域协商进程可在以下方面发挥重要作用："),
    ("para", "㈠ 为全球一级的讨论做准备；"),
    ("para", "㈡ 在各区域传播全球讨论的成果；"),
    ("para", "(d) 应加强关于移徙与发展的知识库。"),
    ("heading", "结论"),
    ("para", "5. 与会者建议区域协商进程更加定期地与关于移徙与发展的全球对话交流信息。"),
    ("para", "6. 与会者对秘鲁政府的热情款待和对讨论的协调表示深切感谢。"),
    ("signature", ["（签名）恩里克·罗曼-莫雷", "大使", "秘鲁常驻联合国代表"]),
    ("footnote", "*", "A/68/50。"),
    ("heading", "附件"),
    ("para", "1. 参加会议的进程和组织名单已分发给所有与会者。"),
    ("para", "2. 下一次主席和秘书处全球会议预计于2015年举行。"),
    ("para", "2013年5月23日，利马"),
]  # fmt: skip

VERSIONS = {"en": EN, "fr": FR, "es": ES, "ru": RU, "ar": AR, "zh": ZH}
